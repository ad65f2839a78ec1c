// Block and unblock: lib/relationships/block.ts, POST/DELETE /api/v1/users/{username}/block,
// and what a block changes elsewhere: follows both ways (rows, counters, events), following
// again, and the blocker's profile, lists and posts, which are a 404 for the blocked user.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { GET as profileRoute } from "@/app/api/v1/users/[username]/route";
import { GET as followersRoute } from "@/app/api/v1/users/[username]/followers/route";
import { GET as followingRoute } from "@/app/api/v1/users/[username]/following/route";
import { GET as postsRoute } from "@/app/api/v1/users/[username]/posts/route";
import { loadProfile } from "@/app/u/[username]/load-profile";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { blockUser, unblockUser } from "@/lib/relationships/block";
import { relationshipOf } from "@/lib/relationships/queries";
import { getUserByUsername } from "@/lib/users/profile";
import { apiRequest, makeUser, makeUsers, readJson, routeParams, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";
import { appErrorOf } from "../support/app-error";
import { countersAndRows, followRows } from "../users/fixtures";
import { api, blockRows, followEvents, relationEvents } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

beforeEach(() => {
  logInAs(null);
});

describe("blockUser / unblockUser", () => {
  it("removes the follows both ways, with both counters and a follow/deleted event for each", async () => {
    const [alice, bob, carol] = await makeUsers(3, "bl");
    await followUser({ followerId: alice!.id, username: bob!.username });
    await followUser({ followerId: bob!.id, username: alice!.username });
    // A third account's follows of each are untouched.
    await followUser({ followerId: carol!.id, username: alice!.username });
    await followUser({ followerId: bob!.id, username: carol!.username });

    expect(await blockUser({ blockerId: alice!.id, username: bob!.username })).toEqual({ blocking: true });

    expect(await followRows(alice!.id, bob!.id)).toBe(0);
    expect(await followRows(bob!.id, alice!.id)).toBe(0);
    expect(await countersAndRows(alice!.id)).toEqual({ followersCount: 1, followers: 1, followingCount: 0, following: 0 });
    expect(await countersAndRows(bob!.id)).toEqual({ followersCount: 0, followers: 0, followingCount: 1, following: 1 });
    expect(await countersAndRows(carol!.id)).toEqual({ followersCount: 1, followers: 1, followingCount: 1, following: 1 });
    expect(await followEvents("follow/deleted", alice!.id, bob!.id)).toHaveLength(1);
    expect(await followEvents("follow/deleted", bob!.id, alice!.id)).toHaveLength(1);
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["block"]);
    expect(await relationshipOf(alice!.id, bob!.id)).toEqual({ muting: false, blocking: true, blockedBy: false, following: false, showReposts: true });
    expect(await relationshipOf(bob!.id, alice!.id)).toMatchObject({ blocking: false, blockedBy: true, following: false });
  });

  it("blocks once however often it is asked: one row, one event, no follow events without follows", async () => {
    const [alice, bob] = await makeUsers(2, "bli");
    for (let i = 0; i < 3; i++) expect(await blockUser({ blockerId: alice!.id, username: bob!.username })).toEqual({ blocking: true });
    expect(await blockRows(alice!.id, bob!.id)).toBe(1);
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["block"]);
    expect(await followEvents("follow/deleted", alice!.id, bob!.id)).toHaveLength(0);
    expect(await followEvents("follow/deleted", bob!.id, alice!.id)).toHaveLength(0);

    for (let i = 0; i < 2; i++) expect(await unblockUser({ blockerId: alice!.id, username: bob!.username })).toEqual({ blocking: false });
    expect(await blockRows(alice!.id, bob!.id)).toBe(0);
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["block", "unblock"]);
  });

  it("unblocking restores nothing: the removed follows stay removed until followed again", async () => {
    const [alice, bob] = await makeUsers(2, "blr");
    await followUser({ followerId: alice!.id, username: bob!.username });
    await followUser({ followerId: bob!.id, username: alice!.username });
    await blockUser({ blockerId: alice!.id, username: bob!.username });
    await unblockUser({ blockerId: alice!.id, username: bob!.username });

    expect(await followRows(alice!.id, bob!.id)).toBe(0);
    expect(await followRows(bob!.id, alice!.id)).toBe(0);
    expect(await countersAndRows(alice!.id)).toEqual({ followersCount: 0, followers: 0, followingCount: 0, following: 0 });
    expect(await followEvents("follow/created", alice!.id, bob!.id)).toHaveLength(1);
    // Both may follow again now.
    expect(await followUser({ followerId: bob!.id, username: alice!.username })).toEqual({ following: true });
    expect(await followUser({ followerId: alice!.id, username: bob!.username })).toEqual({ following: true });
    expect(await countersAndRows(alice!.id)).toEqual({ followersCount: 1, followers: 1, followingCount: 1, following: 1 });
  });

  it("stops the blocked user following the blocker (404, as if they did not exist) and the blocker following them (422 blocked)", async () => {
    const [alice, bob] = await makeUsers(2, "blf");
    await blockUser({ blockerId: alice!.id, username: bob!.username });

    const blocked = await appErrorOf(followUser({ followerId: bob!.id, username: alice!.username }));
    expect([blocked.status, blocked.code]).toEqual([404, "not_found"]);
    const blocker = await appErrorOf(followUser({ followerId: alice!.id, username: bob!.username }));
    expect([blocker.status, blocker.code]).toEqual([422, "blocked"]);
    expect(blocker.message).toMatch(/unblock/i);

    expect(await followRows(alice!.id, bob!.id)).toBe(0);
    expect(await followRows(bob!.id, alice!.id)).toBe(0);
    expect(await countersAndRows(alice!.id)).toMatchObject({ followersCount: 0, followingCount: 0 });
    expect(await followEvents("follow/created", bob!.id, alice!.id)).toHaveLength(0);
    expect(await followEvents("follow/created", alice!.id, bob!.id)).toHaveLength(0);
    // Unfollowing stays a harmless no-op.
    expect(await unfollowUser({ followerId: bob!.id, username: alice!.username })).toEqual({ following: false });
  });

  it("lets the blocked user block back; each block then stands on its own", async () => {
    const [alice, bob] = await makeUsers(2, "blb");
    await blockUser({ blockerId: alice!.id, username: bob!.username });
    expect(await blockUser({ blockerId: bob!.id, username: alice!.username })).toEqual({ blocking: true });
    await unblockUser({ blockerId: alice!.id, username: bob!.username });
    // Bob's block still stands: Alice can't see or follow Bob.
    expect((await appErrorOf(followUser({ followerId: alice!.id, username: bob!.username }))).status).toBe(404);
    expect((await appErrorOf(getUserByUsername({ username: bob!.username, viewerId: alice!.id }))).status).toBe(404);
    expect((await appErrorOf(followUser({ followerId: bob!.id, username: alice!.username }))).code).toBe("blocked");
  });

  it("keeps counters equal to the rows when follows race a block of the same pair", async () => {
    const [alice, bob] = await makeUsers(2, "blrace");
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 6; i++) {
      ops.push(followUser({ followerId: alice!.id, username: bob!.username }).catch(() => undefined));
      ops.push(followUser({ followerId: bob!.id, username: alice!.username }).catch(() => undefined));
      if (i === 2) ops.push(blockUser({ blockerId: alice!.id, username: bob!.username }));
    }
    await Promise.all(ops);
    expect(await followRows(alice!.id, bob!.id)).toBe(0);
    expect(await followRows(bob!.id, alice!.id)).toBe(0);
    expect(await countersAndRows(alice!.id)).toEqual({ followersCount: 0, followers: 0, followingCount: 0, following: 0 });
    expect(await countersAndRows(bob!.id)).toEqual({ followersCount: 0, followers: 0, followingCount: 0, following: 0 });
  });

  it("refuses to block yourself (400 self_block) and is a 404 for an unknown user", async () => {
    const alice = await makeUser();
    for (const op of [blockUser, unblockUser]) {
      const self = await appErrorOf(op({ blockerId: alice.id, username: alice.username }));
      expect([self.status, self.code]).toEqual([400, "self_block"]);
      const unknown = await appErrorOf(op({ blockerId: alice.id, username: "nobody_blocks_this_42" }));
      expect([unknown.status, unknown.code]).toEqual([404, "not_found"]);
    }
    expect(await relationEvents(alice.id, alice.id)).toEqual([]);
  });
});

describe("POST and DELETE /api/v1/users/{username}/block", () => {
  it("blocks → {blocking: true} and unblocks → {blocking: false}, idempotently", async () => {
    const [alice, bob] = await makeUsers(2, "bapi");
    logInAs(alice!);
    for (let i = 0; i < 2; i++) expect(await api.block(bob!.username)).toEqual({ status: 200, body: { blocking: true } });
    expect(await blockRows(alice!.id, bob!.id)).toBe(1);
    for (let i = 0; i < 2; i++) expect(await api.unblock(bob!.username)).toEqual({ status: 200, body: { blocking: false } });
    expect(await blockRows(alice!.id, bob!.id)).toBe(0);
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["block", "unblock"]);
  });

  it("is 401 logged out, 400 self_block for yourself, 404 for an unknown user", async () => {
    const [alice, bob] = await makeUsers(2, "berr");
    for (const op of [api.block, api.unblock]) {
      const out = await op<ErrorBody>(bob!.username);
      expect([out.status, out.body.error.code]).toEqual([401, "unauthenticated"]);
    }
    expect(await blockRows(alice!.id, bob!.id)).toBe(0);
    logInAs(alice!);
    for (const op of [api.block, api.unblock]) {
      const self = await op<ErrorBody>(alice!.username);
      expect([self.status, self.body.error.code]).toEqual([400, "self_block"]);
      const unknown = await op<ErrorBody>("nobody_blocks_this_42");
      expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
    }
  });

  it("answers follow attempts after a block: 404 for the blocked, 422 blocked for the blocker", async () => {
    const [alice, bob] = await makeUsers(2, "bfol");
    logInAs(alice!);
    await api.block(bob!.username);
    const blocker = await api.follow<ErrorBody>(bob!.username);
    expect([blocker.status, blocker.body.error.code]).toEqual([422, "blocked"]);
    logInAs(bob!);
    const blocked = await api.follow<ErrorBody>(alice!.username);
    expect([blocked.status, blocked.body.error.code]).toEqual([404, "not_found"]);
  });
});

describe("what the blocked user sees of the blocker", () => {
  const get = (route: typeof profileRoute, path: string, username: string) =>
    route(apiRequest("GET", path), routeParams({ username })).then((res) => readJson<ErrorBody & { items?: unknown[] }>(res));

  it("404 for the profile, both lists and the posts; others (and the blocker) still see everything", async () => {
    const [alice, bob, carol] = await makeUsers(3, "bsee");
    await followUser({ followerId: carol!.id, username: alice!.username });
    await blockUser({ blockerId: alice!.id, username: bob!.username });
    const paths = [
      [profileRoute, ""],
      [followersRoute, "/followers"],
      [followingRoute, "/following"],
      [postsRoute, "/posts"],
    ] as const;

    logInAs(bob!);
    for (const [route, suffix] of paths) {
      const out = await get(route, `/api/v1/users/${alice!.username}${suffix}`, alice!.username);
      expect([suffix, out.status, out.body.error?.code]).toEqual([suffix, 404, "not_found"]);
    }
    // The same answer as for a handle no one has.
    const unknown = await get(profileRoute, "/api/v1/users/nobody_here_42", "nobody_here_42");
    expect(unknown.body).toEqual((await get(profileRoute, `/api/v1/users/${alice!.username}`, alice!.username)).body);

    for (const viewer of [carol!, alice!, null]) {
      logInAs(viewer);
      for (const [route, suffix] of paths) {
        const out = await get(route, `/api/v1/users/${alice!.username}${suffix}`, alice!.username);
        expect([suffix, out.status]).toEqual([suffix, 200]);
      }
    }
    // The blocker still sees the blocked user's profile.
    logInAs(alice!);
    expect((await get(profileRoute, `/api/v1/users/${bob!.username}`, bob!.username)).status).toBe(200);
  });

  it("the profile page's loader gives Next's not-found page, and unblocking shows the profile again", async () => {
    const [alice, bob] = await makeUsers(2, "bpage");
    await blockUser({ blockerId: alice!.id, username: bob!.username });
    const failure = await loadProfile(alice!.username, bob!.id).then(
      () => undefined,
      (error: unknown) => error as { digest?: string },
    );
    expect(failure?.digest).toMatch(/404/);
    expect((await loadProfile(alice!.username, null)).id).toBe(alice!.id);

    await unblockUser({ blockerId: alice!.id, username: bob!.username });
    expect((await getUserByUsername({ username: alice!.username, viewerId: bob!.id })).id).toBe(alice!.id);
  });
});
