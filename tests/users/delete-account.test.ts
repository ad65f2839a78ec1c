// Deleting an account: lib/users/delete-account.ts and POST /api/v1/me/delete. The account's
// posts leave every feed through the usual events (checked against the feed's ground
// truth, for an ordinary account and a pulled superstar), every counter it touched is
// moved back, and its handle is a tombstone: unknown to lookups, reserved for good.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { POST as deleteMe } from "@/app/api/v1/me/delete/route";
import { GET as profileRoute } from "@/app/api/v1/users/[username]/route";
import { flagSuperstar } from "@/lib/admin/superstars";
import { setAvatar } from "@/lib/media/avatar";
import { uploadMedia } from "@/lib/media/upload";
import { getStorage } from "@/lib/storage";
import { verifyCredentials } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { startSession, isSessionActive } from "@/lib/auth/sessions";
import { getHomeFeed } from "@/lib/feed/home-feed";
import { followUser } from "@/lib/follows/follow";
import { createPost } from "@/lib/posts/create-post";
import { hydratePosts } from "@/lib/posts/dto";
import { likePost } from "@/lib/reactions/likes";
import { repostPost } from "@/lib/reactions/reposts";
import { muteUser } from "@/lib/relationships/mute";
import { deleteAccount } from "@/lib/users/delete-account";
import { registerUser } from "@/lib/users/register";
import { searchUsers } from "@/lib/search/users";
import { apiRequest, makeUser, makeUsers, readJson, routeParams, uniqueIp, uniqueName, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";
import { appErrorOf } from "../support/app-error";
import { feedEngineForFile, groundTruth } from "../feed/support/engine";
import { readWholeFeed } from "../feed/support/read";
import { countersAndRows, userRow } from "./fixtures";
import { makeImage } from "../media/support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();
const PASSWORD = "correct horse battery";
let passwordHash: string;

beforeEach(async () => {
  logInAs(null);
  passwordHash ??= await hashPassword(PASSWORD);
});

const withPassword = async () => makeUser({ username: uniqueName("del"), passwordHash });

async function feedOf(userId: string): Promise<string[]> {
  await engine.settle();
  return readWholeFeed(userId, 3);
}

describe.each([
  ["an ordinary account", false],
  ["a superstar (pulled at read time)", true],
])("deleting %s", (_label, superstar) => {
  it("takes its posts and reposts out of every feed, including posts others reposted", async () => {
    const gone = await withPassword();
    const [reader, friend, reposter] = await makeUsers(3, "dl");
    for (const followee of [gone, friend, reposter]) await followUser({ followerId: reader!.id, username: followee!.username });
    await getHomeFeed({ viewerId: reader!.id, limit: 1 }); // the reader has a timeline: pushes reach it
    if (superstar) await flagSuperstar({ username: gone.username });

    const own = (await createPost({ authorId: gone.id, content: "mine" })).id;
    const byFriend = (await createPost({ authorId: friend!.id, content: "friend's" })).id;
    const reposted = (await createPost({ authorId: gone.id, content: "reposted by someone else" })).id;
    await repostPost({ userId: gone.id, postId: byFriend });
    await repostPost({ userId: reposter!.id, postId: reposted });
    expect(await feedOf(reader!.id)).toEqual([`${reposted}<${reposter!.id}`, `${byFriend}<${gone.id}`, own]);

    await deleteAccount({ userId: gone.id, password: PASSWORD });

    // Reads skip the deleted posts at once; after the events, the feed equals the truth.
    expect(await readWholeFeed(reader!.id, 3)).not.toContain(own);
    const after = await feedOf(reader!.id);
    expect(after).toEqual([byFriend]);
    expect(after).toEqual(await groundTruth(reader!.id));
    expect(await countersAndRows(reader!.id)).toEqual({ followersCount: 0, followers: 0, followingCount: 2, following: 2 });
  });
});

describe("deleteAccount", () => {
  it("moves back every counter it touched and deletes what was the account's", async () => {
    const gone = await withPassword();
    const [fan, idol, other] = await makeUsers(3, "dc");
    await followUser({ followerId: fan!.id, username: gone.username });
    await followUser({ followerId: gone.id, username: idol!.username });
    await followUser({ followerId: idol!.id, username: gone.username });
    const idolPost = (await createPost({ authorId: idol!.id, content: "hello @" + gone.username })).id;
    await likePost({ userId: gone.id, postId: idolPost });
    await repostPost({ userId: gone.id, postId: idolPost });
    await likePost({ userId: other!.id, postId: idolPost });
    const reply = (await createPost({ authorId: gone.id, content: "a reply", replyToId: idolPost })).id;
    const goneRoot = (await createPost({ authorId: gone.id, content: "a thread" })).id;
    await createPost({ authorId: gone.id, content: "its second part", replyToId: goneRoot });
    const othersReply = (await createPost({ authorId: other!.id, content: "answering", replyToId: goneRoot })).id;
    await muteUser({ muterId: other!.id, username: gone.username });
    const sessionId = await startSession(gone.id);
    await engine.settle();

    expect(await deleteAccount({ userId: gone.id, password: PASSWORD })).toEqual({ posts: 3, follows: 3, likes: 1, reposts: 1 });

    const [idolNow] = await hydratePosts([idolPost], null);
    expect(idolNow).toMatchObject({ likeCount: 1, repostCount: 0, replyCount: 0 });
    expect(await hydratePosts([reply, goneRoot], null)).toEqual([]);
    expect(await countersAndRows(fan!.id)).toEqual({ followersCount: 0, followers: 0, followingCount: 0, following: 0 });
    expect(await countersAndRows(idol!.id)).toEqual({ followersCount: 0, followers: 0, followingCount: 0, following: 0 });
    // Someone else's reply to the account's post stays a reply (it is not a top-level post now).
    const [answer] = await hydratePosts([othersReply], null);
    expect(answer!.replyTo).toMatchObject({ id: goneRoot, author: { username: gone.username } });

    const left = await getDb().execute<{ n: number }>(sql`
      select (select count(*) from notifications where recipient_id = ${gone.id} or actor_id = ${gone.id})
        + (select count(*) from mutes where muted_id = ${gone.id})
        + (select count(*) from likes where user_id = ${gone.id})
        + (select count(*) from reposts where user_id = ${gone.id})
        + (select count(*) from posts where author_id = ${gone.id} and deleted_at is null) as n`);
    expect(Number(left[0]!.n)).toBe(0);
    expect(await isSessionActive(sessionId, gone.id)).toBe(false);
    const row = await userRow(gone.id);
    expect(row).toMatchObject({ postsCount: 0, followersCount: 0, followingCount: 0, displayName: "Deleted account", bio: "" });
    expect(row.deletedAt).toBeInstanceOf(Date);
  });

  it("removes its avatar and images from storage", async () => {
    const gone = await withPassword();
    const avatarUrl = (await setAvatar({ userId: gone.id, bytes: await makeImage("png", 64, 64) })).avatarUrl!;
    const image = await uploadMedia({ ownerId: gone.id, bytes: await makeImage("jpeg", 80, 60), altText: "a picture" });
    await createPost({ authorId: gone.id, content: "", mediaIds: [image.id] });
    const keys = [avatarUrl, image.url, image.thumbnailUrl].map((url) => url.replace(/^\/media\//, ""));
    for (const key of keys) expect(await getStorage().get(key), key).not.toBeNull();

    await deleteAccount({ userId: gone.id, password: PASSWORD });

    for (const key of keys) expect(await getStorage().get(key), key).toBeNull();
    expect((await userRow(gone.id)).avatarKey).toBeNull();
  });

  it("leaves a tombstone: unknown to lookups, search and login; the handle stays reserved, the email is free", async () => {
    const gone = await withPassword();
    const [viewer] = await makeUsers(1, "dv");
    await deleteAccount({ userId: gone.id, password: PASSWORD });

    expect((await readJson<ErrorBody>(await profileRoute(apiRequest("GET", `/api/v1/users/${gone.username}`), routeParams({ username: gone.username })))).status).toBe(404);
    expect((await appErrorOf(followUser({ followerId: viewer!.id, username: gone.username })))?.status).toBe(404);
    expect(await verifyCredentials({ email: gone.email, password: PASSWORD })).toBeNull();
    expect(await verifyCredentials({ email: `deleted-${gone.id}@deleted.invalid`, password: "" })).toBeNull();
    expect((await searchUsers({ q: gone.username, limit: 20, viewerId: viewer!.id })).items.map((u) => u.username)).not.toContain(gone.username);
    expect((await appErrorOf(createPost({ authorId: gone.id, content: "from beyond" })))?.status).toBe(404);

    const again = { username: gone.username, email: `other_${gone.email}`, password: PASSWORD };
    expect((await appErrorOf(registerUser(again, { ip: uniqueIp() })))?.status).toBe(409);
    const fresh = await registerUser({ username: uniqueName("re"), email: gone.email, password: PASSWORD }, { ip: uniqueIp() });
    expect(fresh.username).not.toBe(gone.username);
    // A second delete of the same account finds nobody.
    expect((await appErrorOf(deleteAccount({ userId: gone.id, password: PASSWORD })))?.status).toBe(404);
  });
});

describe("POST /api/v1/me/delete", () => {
  const call = (json: unknown) => deleteMe(apiRequest("POST", "/api/v1/me/delete", { json }), routeParams({}));

  it("answers 204 and deletes the logged-in account", async () => {
    const me = await withPassword();
    logInAs(me);
    const res = await call({ password: PASSWORD });
    expect(res.status).toBe(204);
    expect((await userRow(me.id)).deletedAt).toBeInstanceOf(Date);
  });

  it("refuses a wrong or missing password, and anyone logged out, deleting nothing", async () => {
    const me = await withPassword();
    await createPost({ authorId: me.id, content: "still here" });
    expect((await readJson<ErrorBody>(await call({ password: PASSWORD }))).status).toBe(401);
    logInAs(me);
    const wrong = await readJson<ErrorBody>(await call({ password: "not it at all" }));
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: "wrong_password" } } });
    const missing = await readJson<ErrorBody>(await call({}));
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toHaveProperty("password");
    const garbage = await readJson<ErrorBody>(await deleteMe(apiRequest("POST", "/api/v1/me/delete", { raw: "{nope" }), routeParams({})));
    expect(garbage.status).toBe(400);
    expect(await userRow(me.id)).toMatchObject({ deletedAt: null, postsCount: 1 });
  });
});
