// Follow and unfollow: lib/follows/follow.ts and POST/DELETE /api/v1/users/{username}/follow,
// with the follow cap, concurrency, counters and the events each change sends.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE as unfollowRoute, POST as followRoute } from "@/app/api/v1/users/[username]/follow/route";
import { AppError } from "@/lib/errors";
import { followLimit, followUser, unfollowUser } from "@/lib/follows/follow";
import { sentEvents } from "@/tests/support/events";
import { apiRequest, makeUser, makeUsers, readJson, routeParams } from "../support/fixtures";
import { logInAs } from "../support/session";
import { countersAndRows, followRows } from "../users/fixtures";
import { appErrorOf } from "../support/app-error";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const savedLimit = process.env.FOLLOW_LIMIT;
beforeEach(() => {
  logInAs(null);
});
afterEach(() => {
  if (savedLimit === undefined) delete process.env.FOLLOW_LIMIT;
  else process.env.FOLLOW_LIMIT = savedLimit;
});

type ErrorBody = { error: { code: string; message: string } };

/** The follow events sent for this pair, in arrival order. */
async function eventsFor(name: "follow/created" | "follow/deleted", followerId: string, followeeId: string) {
  return (await sentEvents(name)).filter((e) => e.data.followerId === followerId && e.data.followeeId === followeeId);
}

describe("followUser / unfollowUser", () => {
  it("follows once however often it is asked: one row, each counter +1 once, one event", async () => {
    const [alice, bob] = await makeUsers(2, "f");
    expect(await followUser({ followerId: alice!.id, username: bob!.username })).toEqual({ following: true });
    expect(await followUser({ followerId: alice!.id, username: bob!.username.toUpperCase() })).toEqual({ following: true });

    expect(await followRows(alice!.id, bob!.id)).toBe(1);
    expect(await countersAndRows(alice!.id)).toMatchObject({ followingCount: 1, following: 1, followersCount: 0 });
    expect(await countersAndRows(bob!.id)).toMatchObject({ followersCount: 1, followers: 1, followingCount: 0 });

    const created = await eventsFor("follow/created", alice!.id, bob!.id);
    expect(created).toHaveLength(1);
    expect(created[0]!.data).toEqual({ followerId: alice!.id, followeeId: bob!.id });
  });

  it("unfollows once however often it is asked, and unfollowing a stranger changes nothing", async () => {
    const [alice, bob, carol] = await makeUsers(3, "uf");
    await followUser({ followerId: alice!.id, username: bob!.username });
    expect(await unfollowUser({ followerId: alice!.id, username: bob!.username })).toEqual({ following: false });
    expect(await unfollowUser({ followerId: alice!.id, username: bob!.username })).toEqual({ following: false });
    expect(await unfollowUser({ followerId: alice!.id, username: carol!.username })).toEqual({ following: false });

    expect(await followRows(alice!.id, bob!.id)).toBe(0);
    expect(await countersAndRows(alice!.id)).toMatchObject({ followingCount: 0, following: 0 });
    expect(await countersAndRows(bob!.id)).toMatchObject({ followersCount: 0, followers: 0 });
    expect(await eventsFor("follow/deleted", alice!.id, bob!.id)).toHaveLength(1);
    expect(await eventsFor("follow/deleted", alice!.id, carol!.id)).toHaveLength(0);
  });

  it("sends one event per change, each with its own id (follow, unfollow, follow again)", async () => {
    const [alice, bob] = await makeUsers(2, "ev");
    await followUser({ followerId: alice!.id, username: bob!.username });
    await unfollowUser({ followerId: alice!.id, username: bob!.username });
    await followUser({ followerId: alice!.id, username: bob!.username });
    await followUser({ followerId: alice!.id, username: bob!.username });

    const created = await eventsFor("follow/created", alice!.id, bob!.id);
    const deleted = await eventsFor("follow/deleted", alice!.id, bob!.id);
    expect(created).toHaveLength(2);
    expect(deleted).toHaveLength(1);
    expect(deleted[0]!.data).toEqual({ followerId: alice!.id, followeeId: bob!.id });
    const ids = [...created, ...deleted].map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
  });

  it("refuses to follow yourself (400 self_follow), and sends nothing", async () => {
    const alice = await makeUser();
    const error = await appErrorOf(followUser({ followerId: alice.id, username: alice.username }));
    expect([error.status, error.code]).toEqual([400, "self_follow"]);
    expect(await countersAndRows(alice.id)).toMatchObject({ followingCount: 0, followersCount: 0 });
    expect(await eventsFor("follow/created", alice.id, alice.id)).toHaveLength(0);
  });

  it("is a 404 for an unknown user, both ways", async () => {
    const alice = await makeUser();
    for (const op of [followUser, unfollowUser]) {
      const error = await appErrorOf(op({ followerId: alice.id, username: "nobody_follows_me_42" }));
      expect([error.status, error.code]).toEqual([404, "not_found"]);
    }
  });

  it("refuses the follow past FOLLOW_LIMIT with 422 follow_limit, but re-following stays idempotent at the cap", async () => {
    process.env.FOLLOW_LIMIT = "2";
    expect(followLimit()).toBe(2);
    const [alice, b, c, d] = await makeUsers(4, "cap");
    await followUser({ followerId: alice!.id, username: b!.username });
    await followUser({ followerId: alice!.id, username: c!.username });
    const error = await appErrorOf(followUser({ followerId: alice!.id, username: d!.username }));
    expect([error.status, error.code]).toEqual([422, "follow_limit"]);
    expect(error.message).toContain("2");

    expect(await followUser({ followerId: alice!.id, username: c!.username })).toEqual({ following: true });
    expect(await countersAndRows(alice!.id)).toMatchObject({ followingCount: 2, following: 2 });
    expect(await countersAndRows(d!.id)).toMatchObject({ followersCount: 0, followers: 0 });
    expect(await eventsFor("follow/created", alice!.id, d!.id)).toHaveLength(0);

    // Unfollowing makes room again.
    await unfollowUser({ followerId: alice!.id, username: b!.username });
    expect(await followUser({ followerId: alice!.id, username: d!.username })).toEqual({ following: true });
  });

  it("defaults the cap to 2000", () => {
    delete process.env.FOLLOW_LIMIT;
    expect(followLimit()).toBe(2000);
  });

  it("never exceeds the cap under 5 concurrent follows at the boundary", async () => {
    process.env.FOLLOW_LIMIT = "3";
    const alice = await makeUser();
    const others = await makeUsers(7, "capr");
    await followUser({ followerId: alice.id, username: others[0]!.username });
    await followUser({ followerId: alice.id, username: others[1]!.username });

    const results = await Promise.allSettled(others.slice(2).map((o) => followUser({ followerId: alice.id, username: o.username })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).code).toBe("follow_limit");
    expect(await countersAndRows(alice.id)).toMatchObject({ followingCount: 3, following: 3 });
    const followerCounts = await Promise.all(others.slice(2).map((o) => countersAndRows(o.id)));
    expect(followerCounts.reduce((n, c) => n + c.followersCount, 0)).toBe(1);
  });

  it("keeps counters equal to the rows under 20 interleaved concurrent follows and unfollows of one pair", async () => {
    const [alice, bob] = await makeUsers(2, "race");
    const ops = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? followUser({ followerId: alice!.id, username: bob!.username }) : unfollowUser({ followerId: alice!.id, username: bob!.username }),
    );
    await Promise.all(ops);

    const rows = await followRows(alice!.id, bob!.id);
    const a = await countersAndRows(alice!.id);
    const b = await countersAndRows(bob!.id);
    expect(a.followingCount).toBe(rows);
    expect(a.following).toBe(rows);
    expect(b.followersCount).toBe(rows);
    expect(b.followers).toBe(rows);
    // Changes alternate created, deleted, created, …: one event per real change.
    const created = (await eventsFor("follow/created", alice!.id, bob!.id)).length;
    const deleted = (await eventsFor("follow/deleted", alice!.id, bob!.id)).length;
    expect(created).toBeGreaterThanOrEqual(1);
    expect(created - deleted).toBe(rows);
  });

  it("does not deadlock when two users follow each other at the same time, many times over", async () => {
    const [alice, bob] = await makeUsers(2, "mutual");
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0 ? followUser({ followerId: alice!.id, username: bob!.username }) : followUser({ followerId: bob!.id, username: alice!.username }),
      ),
    );
    expect(await countersAndRows(alice!.id)).toMatchObject({ followersCount: 1, followers: 1, followingCount: 1, following: 1 });
    expect(await countersAndRows(bob!.id)).toMatchObject({ followersCount: 1, followers: 1, followingCount: 1, following: 1 });
  });
});

describe("POST and DELETE /api/v1/users/{username}/follow", () => {
  const follow = (username: string) => followRoute(apiRequest("POST", `/api/v1/users/${username}/follow`), routeParams({ username }));
  const unfollow = (username: string) => unfollowRoute(apiRequest("DELETE", `/api/v1/users/${username}/follow`), routeParams({ username }));

  it("is 401 when logged out, and changes nothing", async () => {
    const bob = await makeUser();
    const { status, body } = await readJson<ErrorBody>(await follow(bob.username));
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthenticated");
    expect((await unfollow(bob.username)).status).toBe(401);
    expect(await countersAndRows(bob.id)).toMatchObject({ followersCount: 0, followers: 0 });
  });

  it("follows → {following: true} and unfollows → {following: false}, idempotently", async () => {
    const [alice, bob] = await makeUsers(2, "api");
    logInAs(alice!);
    for (let i = 0; i < 2; i++) expect(await readJson(await follow(bob!.username))).toEqual({ status: 200, body: { following: true } });
    expect(await countersAndRows(bob!.id)).toMatchObject({ followersCount: 1, followers: 1 });
    for (let i = 0; i < 2; i++) expect(await readJson(await unfollow(bob!.username))).toEqual({ status: 200, body: { following: false } });
    expect(await countersAndRows(bob!.id)).toMatchObject({ followersCount: 0, followers: 0 });
  });

  it("answers 400 self_follow, 404 for an unknown user and 422 follow_limit at the cap", async () => {
    process.env.FOLLOW_LIMIT = "1";
    const [alice, bob, carol] = await makeUsers(3, "apie");
    logInAs(alice!);
    const self = await readJson<ErrorBody>(await follow(alice!.username));
    expect([self.status, self.body.error.code]).toEqual([400, "self_follow"]);
    const unknown = await readJson<ErrorBody>(await follow("nobody_is_called_this"));
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
    expect((await follow(bob!.username)).status).toBe(200);
    const capped = await readJson<ErrorBody>(await follow(carol!.username));
    expect([capped.status, capped.body.error.code]).toEqual([422, "follow_limit"]);
  });

  it("refuses a cross-site follow (403) before touching anything", async () => {
    const [alice, bob] = await makeUsers(2, "csrf");
    logInAs(alice!);
    const req = apiRequest("POST", `/api/v1/users/${bob!.username}/follow`, { headers: { origin: "https://evil.example", host: "localhost:3000" } });
    expect((await followRoute(req, routeParams({ username: bob!.username }))).status).toBe(403);
    expect(await followRows(alice!.id, bob!.id)).toBe(0);
  });
});
