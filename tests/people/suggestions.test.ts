// Who to follow: lib/people/suggestions.ts and GET /api/v1/suggestions — friends of
// friends ranked by how many of the reader's followees follow them (then by followers),
// topped up with the most-followed accounts; never the reader, someone they follow or
// mute, nor anyone blocked either way.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { blocks, follows, mutes, users, type User } from "@/db/schema";
import { GET as suggestionsRoute } from "@/app/api/v1/suggestions/route";
import { getSuggestions } from "@/lib/people/suggestions";
import type { UserDto } from "@/lib/users/dto";
import { apiRequest, makeUser, makeUsers, readJson, routeParams, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => logInAs(null));

/** Follow rows written directly (the counters are set by hand where a test needs them). */
async function follow(pairs: Array<[User, User]>) {
  await getDb()
    .insert(follows)
    .values(pairs.map(([a, b]) => ({ followerId: a.id, followeeId: b.id })));
}

async function setFollowers(user: User, followersCount: number) {
  await getDb().update(users).set({ followersCount }).where(eq(users.id, user.id));
}

const ids = (list: UserDto[]) => list.map((u) => u.id);

describe("getSuggestions", () => {
  it("ranks friends of friends by how many followees follow them, then by followers", async () => {
    const reader = await makeUser();
    const [a, b, c] = (await makeUsers(3, "fw")) as [User, User, User];
    const [x, y, z, w] = (await makeUsers(4, "fof")) as [User, User, User, User];
    await setFollowers(z, 5);
    await setFollowers(w, 50);
    // Others for the top-up to find.
    await makeUsers(4, "pad");
    await follow([
      [reader, a],
      [reader, b],
      [reader, c],
      [a, x],
      [b, x],
      [c, x],
      [a, y],
      [b, y],
      [c, z],
      [c, w],
    ]);

    // x: 3 of the reader's followees; y: 2; w and z: 1 each, w with more followers.
    expect(ids(await getSuggestions({ viewerId: reader.id, limit: 4 }))).toEqual([x.id, y.id, w.id, z.id]);
    expect(ids(await getSuggestions({ viewerId: reader.id, limit: 2 }))).toEqual([x.id, y.id]);
    // Cut between two equally common ones: the one with more followers stays.
    expect(ids(await getSuggestions({ viewerId: reader.id, limit: 3 }))).toEqual([x.id, y.id, w.id]);

    // Past the friends of friends come popular accounts the reader does not follow.
    const more = await getSuggestions({ viewerId: reader.id, limit: 8 });
    expect(ids(more).slice(0, 4)).toEqual([x.id, y.id, w.id, z.id]);
    expect(more).toHaveLength(8);
    expect(new Set(ids(more)).size).toBe(8);
    expect(ids(more)).not.toContain(reader.id);
    for (const followee of [a, b, c]) expect(ids(more)).not.toContain(followee.id);
    expect(more.every((u) => u.followedByMe === false)).toBe(true);
  });

  it("never suggests the reader, a followee, a muted account or anyone blocked either way, however popular", async () => {
    const reader = await makeUser();
    const friend = await makeUser();
    const [followed, blockedByReader, blockerOfReader, muted, fine] = (await makeUsers(5, "ex")) as [User, User, User, User, User];
    // Popular enough that the top-up would pick every one of them if it were allowed to.
    for (const u of [reader, friend, followed, blockedByReader, blockerOfReader, muted, fine]) await setFollowers(u, 1_000_000_000);
    await follow([
      [reader, friend],
      [reader, followed],
      [friend, reader],
      [friend, followed],
      [friend, blockedByReader],
      [friend, blockerOfReader],
      [friend, muted],
      [friend, fine],
    ]);
    await getDb()
      .insert(blocks)
      .values([
        { blockerId: reader.id, blockedId: blockedByReader.id },
        { blockerId: blockerOfReader.id, blockedId: reader.id },
      ]);
    await getDb().insert(mutes).values({ muterId: reader.id, mutedId: muted.id });

    const list = ids(await getSuggestions({ viewerId: reader.id, limit: 50 }));
    expect(list[0]).toBe(fine.id);
    for (const excluded of [reader, friend, followed, blockedByReader, blockerOfReader, muted]) expect(list).not.toContain(excluded.id);
  });

  it("gives a new user the most-followed accounts, best first", async () => {
    const newcomer = await makeUser();
    // Far above anyone else in this run's database.
    const stars = await makeUsers(3, "star");
    await setFollowers(stars[0]!, 2_000_000_003);
    await setFollowers(stars[1]!, 2_000_000_002);
    await setFollowers(stars[2]!, 2_000_000_001);
    const hidden = await makeUser();
    await setFollowers(hidden, 2_000_000_004);
    await getDb().insert(blocks).values({ blockerId: hidden.id, blockedId: newcomer.id });

    const list = await getSuggestions({ viewerId: newcomer.id, limit: 10 });
    expect(ids(list).slice(0, 3)).toEqual(stars.map((s) => s.id));
    expect(ids(list)).not.toContain(hidden.id);
    expect(ids(list)).not.toContain(newcomer.id);
    // The rest, most followers first: the same order as the users table gives.
    const counts = list.map((u) => u.followersCount);
    expect(counts).toEqual([...counts].sort((p, q) => q - p));

    const [{ n }] = (await getDb().execute(sql`select count(*)::int as n from users where id <> ${newcomer.id}`)) as unknown as [{ n: number }];
    expect(list).toHaveLength(Math.min(10, n - 1));
  });
});

describe("GET /api/v1/suggestions", () => {
  const call = (query = "") => suggestionsRoute(apiRequest("GET", `/api/v1/suggestions${query}`), routeParams({}));

  it("needs a login", async () => {
    const { status, body } = await readJson<ErrorBody>(await call());
    expect(status).toBe(401);
    expect(body.error.code).toBeTruthy();
  });

  it("answers {items: User[]}, 10 by default, up to limit 1–50", async () => {
    const reader = await makeUser();
    const friend = await makeUser();
    const fof = await makeUser();
    await follow([
      [reader, friend],
      [friend, fof],
    ]);
    // Enough users for a default page of 10.
    await makeUsers(12, "pad");
    logInAs(reader);

    const res = await readJson<{ items: UserDto[] }>(await call());
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(10);
    expect(res.body.items[0]).toMatchObject({ id: fof.id, username: fof.username, followedByMe: false });
    expect(Object.keys(res.body.items[0]!)).toEqual(expect.arrayContaining(["id", "username", "displayName", "bio", "createdAt", "followersCount", "followingCount", "postsCount", "isSuperstar"]));

    expect((await readJson<{ items: UserDto[] }>(await call("?limit=1"))).body.items.map((u) => u.id)).toEqual([fof.id]);
    expect((await readJson<{ items: UserDto[] }>(await call("?limit=50"))).body.items.length).toBeLessThanOrEqual(50);

    for (const bad of ["0", "51", "abc", "2.5"]) {
      const { status, body } = await readJson<ErrorBody>(await call(`?limit=${bad}`));
      expect(status, bad).toBe(400);
      expect(body.error.fields?.limit, bad).toBeTruthy();
    }
  });
});
