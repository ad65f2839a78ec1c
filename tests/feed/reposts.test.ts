// Reposts, replies, mutes and blocks in the home feed, case by case (the model-based test
// covers them at random): each post once at its newest reason, paging that never shows a
// post twice, the reply rule, and the filters.
import { describe, expect, it, vi } from "vitest";
import { flagSuperstar } from "@/lib/admin/superstars";
import { encodeCursor } from "@/lib/cursor";
import { feedPosition } from "@/lib/feed/feed-item";
import { countNewerPosts, getHomeFeed } from "@/lib/feed/home-feed";
import { followUser } from "@/lib/follows/follow";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import { repostPost, undoRepost } from "@/lib/reactions/reposts";
import { blockUser } from "@/lib/relationships/block";
import { muteUser } from "@/lib/relationships/mute";
import { setShowReposts } from "@/lib/relationships/show-reposts";
import { makeUsers } from "../support/fixtures";
import { feedEngineForFile, groundTruth } from "./support/engine";
import { readWholeFeed } from "./support/read";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();

async function posts(authorId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await createPost({ authorId, content: `post ${i}` })).id);
  return ids;
}

/** The feed as readWholeFeed gives it, after the background work has settled. */
async function feedOf(userId: string, pageSize = 3): Promise<string[]> {
  await engine.settle();
  return readWholeFeed(userId, pageSize);
}

describe.each([
  ["an ordinary account", false],
  ["a superstar (pulled at read time)", true],
])("a repost by %s", (_label, superstar) => {
  it("moves a post already in the feed up, once, with the reposter; undo moves it back; deleting the original removes it", async () => {
    const [reader, author, reposter] = await makeUsers(3, "rp");
    await followUser({ followerId: reader!.id, username: author!.username });
    await followUser({ followerId: reader!.id, username: reposter!.username });
    await getHomeFeed({ viewerId: reader!.id, limit: 1 }); // the reader has a timeline: pushes reach it
    if (superstar) await flagSuperstar({ username: reposter!.username });
    const [p0, p1, p2] = await posts(author!.id, 3);
    expect(await feedOf(reader!.id)).toEqual([p2, p1, p0]);

    await repostPost({ userId: reposter!.id, postId: p0! });
    expect(await feedOf(reader!.id)).toEqual([`${p0}<${reposter!.id}`, p2, p1]);
    expect(await feedOf(reader!.id)).toEqual(await groundTruth(reader!.id));

    await undoRepost({ userId: reposter!.id, postId: p0! });
    expect(await feedOf(reader!.id)).toEqual([p2, p1, p0]);

    await repostPost({ userId: reposter!.id, postId: p1! });
    await deletePost({ postId: p1!, userId: author!.id });
    expect(await feedOf(reader!.id)).toEqual([p2, p0]);
  });

  it("brings in a post by someone the reader does not follow; a repost below the cursor while paging is not shown twice", async () => {
    const [reader, author, reposter, stranger] = await makeUsers(4, "rq");
    await followUser({ followerId: reader!.id, username: author!.username });
    await followUser({ followerId: reader!.id, username: reposter!.username });
    await getHomeFeed({ viewerId: reader!.id, limit: 1 });
    if (superstar) await flagSuperstar({ username: reposter!.username });
    const [s0] = await posts(stranger!.id, 1);
    const mine = await posts(author!.id, 6);
    await repostPost({ userId: reposter!.id, postId: s0! });
    expect((await feedOf(reader!.id, 2))[0]).toBe(`${s0}<${reposter!.id}`);

    // Page 1 of a paging session, then a post below its cursor is reposted.
    const first = await getHomeFeed({ viewerId: reader!.id, limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual([s0, mine[5]]);
    await repostPost({ userId: reposter!.id, postId: mine[1]! });
    await engine.settle();
    const seen = first.items.map((i) => i.id);
    for (let cursor = first.nextCursor; cursor; ) {
      const page = await getHomeFeed({ viewerId: reader!.id, cursor, limit: 2 });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    // It moved above the session's first page: not again further down.
    expect(seen).toEqual([s0, mine[5], mine[4], mine[3], mine[2], mine[0]]);
    // The reader learns of it as something new at the top.
    expect(await countNewerPosts({ viewerId: reader!.id, since: encodeCursor(feedPosition(first.items[0]!)) })).toBe(1);
    const fresh = await getHomeFeed({ viewerId: reader!.id, limit: 1 });
    expect(fresh.items[0]).toMatchObject({ id: mine[1], reason: { type: "repost", by: { id: reposter!.id, username: reposter!.username } } });
  });
});

it("showReposts off keeps that account's reposts out; on brings them back", async () => {
  const [reader, reposter, stranger] = await makeUsers(3, "sr");
  await followUser({ followerId: reader!.id, username: reposter!.username });
  await getHomeFeed({ viewerId: reader!.id, limit: 1 });
  const [s0] = await posts(stranger!.id, 1);
  const [own] = await posts(reposter!.id, 1);
  await repostPost({ userId: reposter!.id, postId: s0! });
  expect(await feedOf(reader!.id)).toEqual([`${s0}<${reposter!.id}`, own]);
  await setShowReposts({ followerId: reader!.id, username: reposter!.username, showReposts: false });
  expect(await feedOf(reader!.id)).toEqual([own]);
  await setShowReposts({ followerId: reader!.id, username: reposter!.username, showReposts: true });
  expect(await feedOf(reader!.id)).toEqual([`${s0}<${reposter!.id}`, own]);
});

it("replies: shown when the reader also follows whom they answer, or they answer the reader, or their own author", async () => {
  const [reader, author, other] = await makeUsers(3, "rr");
  await followUser({ followerId: reader!.id, username: author!.username });
  await getHomeFeed({ viewerId: reader!.id, limit: 1 });
  const [otherPost] = await posts(other!.id, 1);
  const [readerPost] = await posts(reader!.id, 1);
  const [authorPost] = await posts(author!.id, 1);
  const toOther = await createPost({ authorId: author!.id, content: "@other hi", replyToId: otherPost });
  const toReader = await createPost({ authorId: author!.id, content: "thanks", replyToId: readerPost });
  const thread = await createPost({ authorId: author!.id, content: "and another thing", replyToId: authorPost });
  expect(await feedOf(reader!.id)).toEqual([thread.id, toReader.id, authorPost, readerPost]);
  // Following whom it answers brings the reply in (and their post).
  await followUser({ followerId: reader!.id, username: other!.username });
  expect(await feedOf(reader!.id)).toEqual([thread.id, toReader.id, toOther.id, authorPost, readerPost, otherPost]);
  expect(await feedOf(reader!.id)).toEqual(await groundTruth(reader!.id));
});

it("a mute takes the account's posts and reposts out, and posts by a muted author reposted by others; a block takes both ways", async () => {
  const [reader, friend, loud, stranger] = await makeUsers(4, "mb");
  await followUser({ followerId: reader!.id, username: friend!.username });
  await followUser({ followerId: reader!.id, username: loud!.username });
  await followUser({ followerId: stranger!.id, username: reader!.username });
  await getHomeFeed({ viewerId: reader!.id, limit: 1 });
  await getHomeFeed({ viewerId: stranger!.id, limit: 1 });
  const [loudPost] = await posts(loud!.id, 1);
  const [strangerPost] = await posts(stranger!.id, 1);
  await repostPost({ userId: friend!.id, postId: loudPost! });
  await repostPost({ userId: loud!.id, postId: strangerPost! });
  expect(await feedOf(reader!.id)).toEqual([`${strangerPost}<${loud!.id}`, `${loudPost}<${friend!.id}`]);

  await muteUser({ muterId: reader!.id, username: loud!.username });
  expect(await feedOf(reader!.id)).toEqual([]);

  const [readerPost] = await posts(reader!.id, 1);
  expect(await feedOf(stranger!.id)).toEqual([readerPost, strangerPost]);
  await blockUser({ blockerId: reader!.id, username: stranger!.username });
  expect(await feedOf(stranger!.id)).toEqual([strangerPost]);
  expect(await feedOf(reader!.id)).toEqual(await groundTruth(reader!.id));
});

it("a superstar's post reposted by an ordinary followee shows once, at the repost, on every page size", async () => {
  const [reader, star, reposter] = await makeUsers(3, "so");
  await followUser({ followerId: reader!.id, username: star!.username });
  await followUser({ followerId: reader!.id, username: reposter!.username });
  await getHomeFeed({ viewerId: reader!.id, limit: 1 });
  await flagSuperstar({ username: star!.username });
  const [p0, p1, p2, p3] = await posts(star!.id, 4);
  await repostPost({ userId: reposter!.id, postId: p0! });
  // The repost is in the reader's timeline, the post itself in the superstar's outbox.
  for (const size of [1, 2, 3, 5]) expect(await feedOf(reader!.id, size)).toEqual([`${p0}<${reposter!.id}`, p3, p2, p1]);
});
