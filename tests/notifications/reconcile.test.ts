// Notifications made by the real background functions from the real events: one per type,
// at most one per (type, actor, post), withdrawn while unread by the opposite action,
// never for one's own actions, and never across a mute or block.
import { afterAll, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db";
import { inngest } from "@/lib/events/client";
import { likeCreated } from "@/lib/events/schemas";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { countUnread, listNotifications, markNotificationsRead } from "@/lib/notifications/queries";
import { reconcilePostNotifications } from "@/lib/notifications/reconcile";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import { likePost, unlikePost } from "@/lib/reactions/likes";
import { repostPost, undoRepost } from "@/lib/reactions/reposts";
import { makeUser, makeUsers, uniqueName } from "../support/fixtures";
import { feedEngineForFile } from "../feed/support/engine";
import { block, keysOf, mute, rowsOf, unmute } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();
afterAll(closeDb);

describe("creating notifications", () => {
  it("makes one of each type, newest first, in the API's shape", async () => {
    const [ana, bob, cy] = await makeUsers(3, "kinds");
    const post = await createPost({ authorId: ana!.id, content: "hello" });
    await followUser({ followerId: bob!.id, username: ana!.username });
    await likePost({ userId: bob!.id, postId: post.id });
    await repostPost({ userId: bob!.id, postId: post.id });
    const reply = await createPost({ authorId: bob!.id, content: "hi back", replyToId: post.id });
    const mention = await createPost({ authorId: cy!.id, content: `look, @${ana!.username}!` });
    await engine.settle();

    const page = await listNotifications({ userId: ana!.id, limit: 20 });
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((n) => n.type).sort()).toEqual(["follow", "like", "mention", "reply", "repost"]);
    const byType = Object.fromEntries(page.items.map((n) => [n.type, n]));
    expect(byType.follow).toMatchObject({ actor: { id: bob!.id, username: bob!.username }, post: null, read: false });
    expect(byType.like).toMatchObject({ actor: { id: bob!.id }, post: { id: post.id, content: "hello", likeCount: 1, likedByMe: false } });
    expect(byType.repost).toMatchObject({ actor: { id: bob!.id }, post: { id: post.id, repostCount: 1 } });
    expect(byType.reply).toMatchObject({ actor: { id: bob!.id }, post: { id: reply.id, replyTo: { id: post.id } } });
    expect(byType.mention).toMatchObject({ actor: { id: cy!.id, displayName: cy!.displayName }, post: { id: mention.id } });
    const times = page.items.map((n) => Date.parse(n.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await countUnread(ana!.id)).toBe(5);
    // Nobody else heard of anything.
    expect(await rowsOf(bob!.id)).toEqual([]);
    expect(await rowsOf(cy!.id)).toEqual([]);
  });

  it("keeps one per (type, actor, post): like, unlike, like again", async () => {
    const [ana, bob] = await makeUsers(2, "dedup");
    const post = await createPost({ authorId: ana!.id, content: "once" });
    await likePost({ userId: bob!.id, postId: post.id });
    await unlikePost({ userId: bob!.id, postId: post.id });
    await likePost({ userId: bob!.id, postId: post.id });
    await engine.settle();
    expect(await keysOf(ana!.id)).toEqual([`like:${bob!.id}:${post.id}`]);

    // Settled in between too, and once more after the notification was read.
    await unlikePost({ userId: bob!.id, postId: post.id });
    await engine.settle();
    await likePost({ userId: bob!.id, postId: post.id });
    await engine.settle();
    await markNotificationsRead({ userId: ana!.id });
    await unlikePost({ userId: bob!.id, postId: post.id });
    await likePost({ userId: bob!.id, postId: post.id });
    await engine.settle();
    expect(await keysOf(ana!.id)).toEqual([`like:${bob!.id}:${post.id}`]);
  });

  it("reconciles with the database, not the event: a late like/created after the unlike makes nothing", async () => {
    const [ana, bob] = await makeUsers(2, "late");
    const post = await createPost({ authorId: ana!.id, content: "late" });
    await likePost({ userId: bob!.id, postId: post.id });
    await unlikePost({ userId: bob!.id, postId: post.id });
    await engine.settle();
    await inngest.send(likeCreated.create({ userId: bob!.id, postId: post.id }, { id: `late-${post.id}` }));
    await engine.settle();
    expect(await rowsOf(ana!.id)).toEqual([]);
  });

  it("never notifies anyone of their own actions", async () => {
    const ana = await makeUser({ username: uniqueName("self") });
    const post = await createPost({ authorId: ana.id, content: `me, @${ana.username.toUpperCase()}` });
    await likePost({ userId: ana.id, postId: post.id });
    await repostPost({ userId: ana.id, postId: post.id });
    await createPost({ authorId: ana.id, content: `replying to myself @${ana.username}`, replyToId: post.id });
    await engine.settle();
    expect(await rowsOf(ana.id)).toEqual([]);
  });
});

describe("withdrawing notifications", () => {
  it("withdraws unread ones on unlike, undo repost, unfollow and deleting a reply or mention", async () => {
    const [ana, bob] = await makeUsers(2, "undo");
    const post = await createPost({ authorId: ana!.id, content: "undo me" });
    await followUser({ followerId: bob!.id, username: ana!.username });
    await likePost({ userId: bob!.id, postId: post.id });
    await repostPost({ userId: bob!.id, postId: post.id });
    const reply = await createPost({ authorId: bob!.id, content: "a reply", replyToId: post.id });
    const mention = await createPost({ authorId: bob!.id, content: `hey @${ana!.username}` });
    await engine.settle();
    expect(await keysOf(ana!.id)).toHaveLength(5);

    await unfollowUser({ followerId: bob!.id, username: ana!.username });
    await unlikePost({ userId: bob!.id, postId: post.id });
    await undoRepost({ userId: bob!.id, postId: post.id });
    await deletePost({ postId: reply.id, userId: bob!.id });
    await deletePost({ postId: mention.id, userId: bob!.id });
    await engine.settle();
    expect(await rowsOf(ana!.id)).toEqual([]);
  });

  it("leaves a read one in place", async () => {
    const [ana, bob] = await makeUsers(2, "keepread");
    const post = await createPost({ authorId: ana!.id, content: "read it" });
    await likePost({ userId: bob!.id, postId: post.id });
    await engine.settle();
    await followUser({ followerId: bob!.id, username: ana!.username });
    await engine.settle();
    const follow = (await rowsOf(ana!.id)).find((r) => r.type === "follow")!;
    const like = (await rowsOf(ana!.id)).find((r) => r.type === "like")!;
    // Read the like only (the older of the two ids, so "up to" it leaves the follow).
    expect(BigInt(like.id)).toBeLessThan(BigInt(follow.id));
    await markNotificationsRead({ userId: ana!.id, upToId: like.id });

    await unlikePost({ userId: bob!.id, postId: post.id });
    await unfollowUser({ followerId: bob!.id, username: ana!.username });
    await engine.settle();
    expect(await rowsOf(ana!.id)).toEqual([{ ...like, read: true }]);
  });

  it("withdraws a reply notification after the reply is deleted, even when the runs repeat", async () => {
    const [ana, bob] = await makeUsers(2, "rerun");
    const post = await createPost({ authorId: ana!.id, content: "p" });
    const reply = await createPost({ authorId: bob!.id, content: "r", replyToId: post.id });
    await deletePost({ postId: reply.id, userId: bob!.id });
    await engine.settle();
    expect(await reconcilePostNotifications({ postId: reply.id })).toBe("unchanged");
    expect(await rowsOf(ana!.id)).toEqual([]);
  });
});

describe("mentions", () => {
  it("notifies each named user once, case-insensitively, ignoring unknown names, emails and URLs", async () => {
    const [ana, bob, cy, author] = await makeUsers(4, "ment");
    const post = await createPost({
      authorId: author!.id,
      content: `@${ana!.username.toUpperCase()} and @${bob!.username}, @${bob!.username} again; mail x@${cy!.username} https://x.test/@${cy!.username} @nobody_${ana!.username.slice(5)}`,
    });
    await engine.settle();
    expect(await keysOf(ana!.id)).toEqual([`mention:${author!.id}:${post.id}`]);
    expect(await keysOf(bob!.id)).toEqual([`mention:${author!.id}:${post.id}`]);
    expect(await rowsOf(cy!.id)).toEqual([]);
  });

  it("gives the replied-to author a reply, not also a mention", async () => {
    const [ana, bob] = await makeUsers(2, "replment");
    const post = await createPost({ authorId: ana!.id, content: "q" });
    const reply = await createPost({ authorId: bob!.id, content: `@${ana!.username} a`, replyToId: post.id });
    await engine.settle();
    expect(await keysOf(ana!.id)).toEqual([`reply:${bob!.id}:${reply.id}`]);
  });

  it("ignores users who blocked the author, were blocked by them, or muted them", async () => {
    const [author, blocker, blocked, muter, fine] = await makeUsers(5, "mblock");
    await block(blocker!.id, author!.id);
    await block(author!.id, blocked!.id);
    await mute(muter!.id, author!.id);
    const post = await createPost({
      authorId: author!.id,
      content: `@${blocker!.username} @${blocked!.username} @${muter!.username} @${fine!.username}`,
    });
    await engine.settle();
    for (const user of [blocker, blocked, muter]) expect(await rowsOf(user!.id)).toEqual([]);
    expect(await keysOf(fine!.id)).toEqual([`mention:${author!.id}:${post.id}`]);
  });
});

describe("mutes and blocks", () => {
  it("makes none for a muted or blocked actor's like, repost or follow", async () => {
    const [ana, muted, blocked] = await makeUsers(3, "mcreate");
    const post = await createPost({ authorId: ana!.id, content: "quiet" });
    await mute(ana!.id, muted!.id);
    await block(ana!.id, blocked!.id);
    await likePost({ userId: muted!.id, postId: post.id });
    await repostPost({ userId: muted!.id, postId: post.id });
    await followUser({ followerId: muted!.id, username: ana!.username });
    await engine.settle();
    expect(await rowsOf(ana!.id)).toEqual([]);
  });

  it("hides a muted actor's notifications at read time, and shows them again after unmuting", async () => {
    const [ana, bob, cy] = await makeUsers(3, "mread");
    const post = await createPost({ authorId: ana!.id, content: "later mute" });
    await likePost({ userId: bob!.id, postId: post.id });
    await likePost({ userId: cy!.id, postId: post.id });
    await engine.settle();
    expect((await listNotifications({ userId: ana!.id, limit: 20 })).items).toHaveLength(2);

    await mute(ana!.id, bob!.id);
    const page = await listNotifications({ userId: ana!.id, limit: 20 });
    expect(page.items.map((n) => n.actor.id)).toEqual([cy!.id]);
    expect(await countUnread(ana!.id)).toBe(1);

    await unmute(ana!.id, bob!.id);
    expect(await countUnread(ana!.id)).toBe(2);
    // A block either way hides them too.
    await block(cy!.id, ana!.id);
    expect((await listNotifications({ userId: ana!.id, limit: 20 })).items.map((n) => n.actor.id)).toEqual([bob!.id]);
  });

  it("hides notifications about a post that has been deleted", async () => {
    const [ana, bob] = await makeUsers(2, "gone");
    const post = await createPost({ authorId: ana!.id, content: "soon gone" });
    await likePost({ userId: bob!.id, postId: post.id });
    await followUser({ followerId: bob!.id, username: ana!.username });
    await engine.settle();
    await deletePost({ postId: post.id, userId: ana!.id });
    await engine.settle();
    expect((await listNotifications({ userId: ana!.id, limit: 20 })).items.map((n) => n.type)).toEqual(["follow"]);
    expect(await countUnread(ana!.id)).toBe(1);
  });
});
