// Follower and following lists: lib/follows/lists.ts and GET /api/v1/users/{username}/followers
// and /following — newest follow first, keyset cursors, every item exactly once.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { follows, type User } from "@/db/schema";
import { GET as followersRoute } from "@/app/api/v1/users/[username]/followers/route";
import { GET as followingRoute } from "@/app/api/v1/users/[username]/following/route";
import { encodeCursor, type Page } from "@/lib/cursor";
import { followUser } from "@/lib/follows/follow";
import { listFollowers, listFollowing } from "@/lib/follows/lists";
import type { UserDto } from "@/lib/users/dto";
import { apiRequest, makeUser, makeUsers, readJson, routeParams } from "../support/fixtures";
import { logInAs } from "../support/session";
import { appErrorOf } from "../support/app-error";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

beforeEach(() => {
  logInAs(null);
});

type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

const T0 = Date.parse("2025-03-01T12:00:00.000Z");

/** `target` gets these followers, followed at T0 + offset ms (equal offsets: the same millisecond). */
async function withFollowers(target: User, offsets: number[]) {
  const followers = await makeUsers(offsets.length, "fl");
  await getDb()
    .insert(follows)
    .values(followers.map((f, i) => ({ followerId: f.id, followeeId: target.id, createdAt: new Date(T0 + offsets[i]!) })));
  // Expected order: newest follow first, ties by the follower's id, descending.
  const expected = followers
    .map((f, i) => ({ id: f.id, t: T0 + offsets[i]! }))
    .sort((a, b) => b.t - a.t || (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
    .map((e) => e.id);
  return { followers, expected };
}

async function readAll(read: (cursor: string | undefined) => Promise<Page<UserDto>>) {
  const pages: Array<Page<UserDto>> = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    expect(pages.length).toBeLessThan(50);
  } while (cursor);
  return pages;
}

describe("listFollowers", () => {
  it("pages newest follow first through same-millisecond follows, each follower once, nextCursor null at the end", async () => {
    const target = await makeUser();
    // Three follows share one millisecond, two share another.
    const { expected } = await withFollowers(target, [0, 5, 5, 5, 9, 2, 2]);
    const pages = await readAll((cursor) => listFollowers({ username: target.username, cursor, limit: 2, viewerId: null }));

    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flatMap((p) => p.items.map((u) => u.id))).toEqual(expected);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    expect(pages.slice(0, -1).every((p) => typeof p.nextCursor === "string")).toBe(true);
    expect(pages[0]!.items[0]).not.toHaveProperty("followedByMe");
  });

  it("gives nextCursor null exactly when nothing is left: a full last page has none", async () => {
    const target = await makeUser();
    const { expected } = await withFollowers(target, [1, 1, 1, 1]);
    const first = await listFollowers({ username: target.username, limit: 2, viewerId: null });
    const second = await listFollowers({ username: target.username, cursor: first.nextCursor, limit: 2, viewerId: null });
    expect(first.nextCursor).not.toBeNull();
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((u) => u.id)).toEqual(expected);

    const all = await listFollowers({ username: target.username, limit: 4, viewerId: null });
    expect(all.items).toHaveLength(4);
    expect(all.nextCursor).toBeNull();
  });

  it("is an empty page with no cursor for a user nobody follows, and defaults to 20 items", async () => {
    const lonely = await makeUser();
    expect(await listFollowers({ username: lonely.username, viewerId: null })).toEqual({ items: [], nextCursor: null });

    const popular = await makeUser();
    await withFollowers(popular, Array.from({ length: 21 }, (_, i) => i));
    const page = await listFollowers({ username: popular.username, viewerId: null });
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
  });

  it("keeps a cursor valid while the list changes: no repeats, no skipped survivors", async () => {
    const target = await makeUser();
    const { expected } = await withFollowers(target, [10, 20, 30, 40, 50, 60]);
    const first = await listFollowers({ username: target.username, limit: 3, viewerId: null });
    expect(first.items.map((u) => u.id)).toEqual(expected.slice(0, 3));

    // Meanwhile someone new follows (newest), and one not yet shown unfollows.
    await followUser({ followerId: (await makeUser()).id, username: target.username });
    await getDb()
      .delete(follows)
      .where(and(eq(follows.followerId, expected[4]!), eq(follows.followeeId, target.id)));

    const rest = await readAll((cursor) => listFollowers({ username: target.username, cursor: cursor ?? first.nextCursor, limit: 3, viewerId: null }));
    expect(rest.flatMap((p) => p.items.map((u) => u.id))).toEqual([expected[3], expected[5]]);
  });

  it("says which listed users the viewer follows", async () => {
    const target = await makeUser();
    const { followers } = await withFollowers(target, [1, 2, 3]);
    const viewer = await makeUser();
    await followUser({ followerId: viewer.id, username: followers[1]!.username });
    const page = await listFollowers({ username: target.username, limit: 10, viewerId: viewer.id });
    const flags = Object.fromEntries(page.items.map((u) => [u.id, u.followedByMe]));
    expect(flags).toEqual({ [followers[0]!.id]: false, [followers[1]!.id]: true, [followers[2]!.id]: false });
  });

  it("shows up-to-date profiles of the followers", async () => {
    const [alice, bob] = await makeUsers(2, "prof");
    await followUser({ followerId: alice!.id, username: bob!.username });
    const page = await listFollowers({ username: bob!.username, limit: 10, viewerId: null });
    expect(page.items).toEqual([expect.objectContaining({ id: alice!.id, username: alice!.username, followingCount: 1, followersCount: 0 })]);
  });

  it("is a 404 for an unknown user and a 400 for a malformed cursor or limit", async () => {
    const target = await makeUser();
    expect((await appErrorOf(listFollowers({ username: "nobody_here_at_all", viewerId: null }))).status).toBe(404);
    for (const cursor of ["garbage!", "bm90LWEtY3Vyc29y", encodeCursor({ t: 1, id: "99999999999999999999".slice(0, 19) })]) {
      const error = await appErrorOf(listFollowers({ username: target.username, cursor, viewerId: null }));
      expect([error.status, error.code], cursor).toEqual([400, "invalid_cursor"]);
    }
    // A well-formed cursor from the far future is just an empty page.
    expect(await listFollowers({ username: target.username, cursor: encodeCursor({ t: 999_999_999_999_999, id: "1" }), viewerId: null })).toEqual({
      items: [],
      nextCursor: null,
    });
    for (const limit of [0, 101, 2.5]) {
      const error = await appErrorOf(listFollowers({ username: target.username, limit, viewerId: null }));
      expect(error.status).toBe(400);
    }
  });
});

describe("listFollowing", () => {
  it("pages whom a user follows, newest follow first, same-millisecond ties by id", async () => {
    const follower = await makeUser();
    const followees = await makeUsers(5, "fg");
    const offsets = [3, 7, 7, 7, 1];
    await getDb()
      .insert(follows)
      .values(followees.map((f, i) => ({ followerId: follower.id, followeeId: f.id, createdAt: new Date(T0 + offsets[i]!) })));
    const expected = followees
      .map((f, i) => ({ id: f.id, t: offsets[i]! }))
      .sort((a, b) => b.t - a.t || (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .map((e) => e.id);

    const pages = await readAll((cursor) => listFollowing({ username: follower.username, cursor, limit: 2, viewerId: follower.id }));
    expect(pages.flatMap((p) => p.items.map((u) => u.id))).toEqual(expected);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    // The viewer follows everyone on their own following list.
    expect(pages.flatMap((p) => p.items).every((u) => u.followedByMe === true)).toBe(true);
  });

  it("is a 404 for an unknown user", async () => {
    expect((await appErrorOf(listFollowing({ username: "nobody_here_either", viewerId: null }))).code).toBe("not_found");
  });
});

describe("GET /api/v1/users/{username}/followers and /following", () => {
  const get = (route: typeof followersRoute, username: string, kind: string, query = "") =>
    route(apiRequest("GET", `/api/v1/users/${username}/${kind}${query}`), routeParams({ username }));

  it("pages followers with limit and cursor, {items, nextCursor}", async () => {
    const target = await makeUser();
    const { expected } = await withFollowers(target, [4, 4, 4]);
    const first = await readJson<Page<UserDto>>(await get(followersRoute, target.username, "followers", "?limit=2"));
    expect(first.status).toBe(200);
    expect(first.body.items.map((u) => u.id)).toEqual(expected.slice(0, 2));
    expect(first.body.items[0]).not.toHaveProperty("followedByMe");
    const second = await readJson<Page<UserDto>>(
      await get(followersRoute, target.username, "followers", `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor!)}`),
    );
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: expected[2] })], nextCursor: null });
  });

  it("adds followedByMe when logged in", async () => {
    const [alice, bob] = await makeUsers(2, "apil");
    await followUser({ followerId: alice!.id, username: bob!.username });
    logInAs(alice!);
    const { body } = await readJson<Page<UserDto>>(await get(followingRoute, alice!.username, "following"));
    expect(body.items).toEqual([expect.objectContaining({ id: bob!.id, followedByMe: true })]);
  });

  it("answers 400 to a malformed cursor or an out-of-range limit, 404 to an unknown user", async () => {
    const target = await makeUser();
    const badCursor = await readJson<ErrorBody>(await get(followersRoute, target.username, "followers", "?cursor=not-a-cursor"));
    expect([badCursor.status, badCursor.body.error.code]).toEqual([400, "invalid_cursor"]);
    const badLimit = await readJson<ErrorBody>(await get(followingRoute, target.username, "following", "?limit=500"));
    expect(badLimit.status).toBe(400);
    expect(Object.keys(badLimit.body.error.fields!)).toEqual(["limit"]);
    const unknown = await get(followersRoute, "nobody_by_this_name", "followers");
    expect(unknown.status).toBe(404);
  });
});
