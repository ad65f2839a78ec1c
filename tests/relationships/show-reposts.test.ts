// The per-follow "show reposts" setting: lib/relationships/show-reposts.ts and
// PATCH /api/v1/users/{username}/follow {showReposts}.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { blockUser } from "@/lib/relationships/block";
import { relationshipOf } from "@/lib/relationships/queries";
import { setShowReposts } from "@/lib/relationships/show-reposts";
import { makeUser, makeUsers, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";
import { appErrorOf } from "../support/app-error";
import { api, relationEvents, showRepostsOf } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

beforeEach(() => {
  logInAs(null);
});

describe("setShowReposts", () => {
  it("turns a follow's reposts off and on, sending one event per real change", async () => {
    const [alice, bob] = await makeUsers(2, "sr");
    await followUser({ followerId: alice!.id, username: bob!.username });
    expect(await showRepostsOf(alice!.id, bob!.id)).toBe(true);

    for (let i = 0; i < 2; i++) {
      expect(await setShowReposts({ followerId: alice!.id, username: bob!.username, showReposts: false })).toEqual({ following: true, showReposts: false });
    }
    expect(await showRepostsOf(alice!.id, bob!.id)).toBe(false);
    expect(await relationshipOf(alice!.id, bob!.id)).toMatchObject({ following: true, showReposts: false });
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["hide-reposts"]);

    await setShowReposts({ followerId: alice!.id, username: bob!.username, showReposts: true });
    await setShowReposts({ followerId: alice!.id, username: bob!.username, showReposts: true });
    expect(await showRepostsOf(alice!.id, bob!.id)).toBe(true);
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["hide-reposts", "show-reposts"]);
  });

  it("belongs to the follow: an unfollow forgets it, and a new follow starts with reposts shown", async () => {
    const [alice, bob] = await makeUsers(2, "srf");
    await followUser({ followerId: alice!.id, username: bob!.username });
    await setShowReposts({ followerId: alice!.id, username: bob!.username, showReposts: false });
    await unfollowUser({ followerId: alice!.id, username: bob!.username });
    expect(await relationshipOf(alice!.id, bob!.id)).toMatchObject({ following: false, showReposts: true });
    await followUser({ followerId: alice!.id, username: bob!.username });
    expect(await showRepostsOf(alice!.id, bob!.id)).toBe(true);
  });

  it("is 409 not_following without a follow, and changes and sends nothing", async () => {
    const [alice, bob] = await makeUsers(2, "srn");
    const error = await appErrorOf(setShowReposts({ followerId: alice!.id, username: bob!.username, showReposts: false }));
    expect([error.status, error.code]).toEqual([409, "not_following"]);
    expect(error.message).toContain(bob!.username);
    expect(await showRepostsOf(alice!.id, bob!.id)).toBeUndefined();
    expect(await relationEvents(alice!.id, bob!.id)).toEqual([]);
  });

  it("is 400 for yourself, 404 for an unknown user and for someone who blocked you", async () => {
    const [alice, bob] = await makeUsers(2, "sre");
    const self = await appErrorOf(setShowReposts({ followerId: alice!.id, username: alice!.username, showReposts: false }));
    expect([self.status, self.code]).toEqual([400, "self_follow"]);
    const unknown = await appErrorOf(setShowReposts({ followerId: alice!.id, username: "nobody_here_42", showReposts: false }));
    expect([unknown.status, unknown.code]).toEqual([404, "not_found"]);
    await blockUser({ blockerId: bob!.id, username: alice!.username });
    const blocked = await appErrorOf(setShowReposts({ followerId: alice!.id, username: bob!.username, showReposts: false }));
    expect([blocked.status, blocked.code]).toEqual([404, "not_found"]);
  });
});

describe("PATCH /api/v1/users/{username}/follow", () => {
  it("answers {following, showReposts} and stores the setting", async () => {
    const [alice, bob] = await makeUsers(2, "srapi");
    logInAs(alice!);
    await api.follow(bob!.username);
    expect(await api.patchFollow(bob!.username, { showReposts: false })).toEqual({ status: 200, body: { following: true, showReposts: false } });
    expect(await showRepostsOf(alice!.id, bob!.id)).toBe(false);
    expect(await api.patchFollow(bob!.username, { showReposts: true })).toEqual({ status: 200, body: { following: true, showReposts: true } });
    expect(await showRepostsOf(alice!.id, bob!.id)).toBe(true);
  });

  it("is 401 logged out, 400 for a missing or non-boolean showReposts, 409 not_following, 404 unknown", async () => {
    const [alice, bob] = await makeUsers(2, "srerr");
    const out = await api.patchFollow<ErrorBody>(bob!.username, { showReposts: false });
    expect([out.status, out.body.error.code]).toEqual([401, "unauthenticated"]);

    logInAs(alice!);
    for (const body of [{}, { showReposts: "no" }, { showReposts: null }]) {
      const bad = await api.patchFollow<ErrorBody>(bob!.username, body);
      expect([bad.status, bad.body.error.code]).toEqual([400, "invalid_input"]);
      expect(bad.body.error.fields).toHaveProperty("showReposts");
    }
    const notFollowing = await api.patchFollow<ErrorBody>(bob!.username, { showReposts: false });
    expect([notFollowing.status, notFollowing.body.error.code]).toEqual([409, "not_following"]);
    const unknown = await api.patchFollow<ErrorBody>("nobody_here_42", { showReposts: false });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
    const self = await api.patchFollow<ErrorBody>(alice!.username, { showReposts: false });
    expect([self.status, self.body.error.code]).toEqual([400, "self_follow"]);
  });
});

describe("relationshipOf", () => {
  it("says nothing for strangers", async () => {
    const [alice, bob] = await makeUsers(2, "rel");
    expect(await relationshipOf(alice!.id, bob!.id)).toEqual({ muting: false, blocking: false, blockedBy: false, following: false, showReposts: true });
    const carol = await makeUser();
    expect(await relationshipOf(carol.id, alice!.id)).toEqual({ muting: false, blocking: false, blockedBy: false, following: false, showReposts: true });
  });
});
