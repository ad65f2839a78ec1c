// lib/feed/feed-items.ts writes the shared post columns out in one flat statement (a
// postgres.js statement of nested fragments is built anew on every call): its items must
// stay the very posts hydratePosts (lib/posts/dto.ts, the one way to build a Post) gives,
// the viewer's like and repost, the reply and the images included, plus their reason.
import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { media } from "@/db/schema";
import { hydrateFeed } from "@/lib/feed/feed-items";
import { followUser } from "@/lib/follows/follow";
import { createPost } from "@/lib/posts/create-post";
import { hydratePosts } from "@/lib/posts/dto";
import { likePost } from "@/lib/reactions/likes";
import { repostPost } from "@/lib/reactions/reposts";
import { makeUsers } from "../support/fixtures";

it("hydrates feed entries into the same Post objects as hydratePosts, with their reasons", async () => {
  const [viewer, author, reposter] = await makeUsers(3, "fi");
  await followUser({ followerId: viewer!.id, username: author!.username });
  await followUser({ followerId: viewer!.id, username: reposter!.username });
  const withImage = await createPost({ authorId: author!.id, content: "a picture" });
  await getDb().insert(media).values({ ownerId: author!.id, postId: withImage.id, key: "m/a.webp", thumbKey: "m/a-t.webp", width: 640, height: 480, altText: "a bird" });
  const parent = await createPost({ authorId: reposter!.id, content: "a question" });
  const reply = await createPost({ authorId: author!.id, content: "an answer", replyToId: parent.id });
  await likePost({ userId: viewer!.id, postId: withImage.id });
  await repostPost({ userId: viewer!.id, postId: reply.id });
  await repostPost({ userId: reposter!.id, postId: withImage.id });
  const [repost] = await getDb().execute<{ t: string }>(
    sql`select (extract(epoch from created_at) * 1000)::int8::text as t from reposts where user_id = ${reposter!.id} and post_id = ${withImage.id}`,
  );

  const entries = [
    { id: withImage.id, t: Number(repost!.t) }, // there by the reposter's repost
    { id: reply.id, t: Date.parse(reply.createdAt) }, // there by its publication
  ];
  const items = await hydrateFeed({ viewerId: viewer!.id, entries, hidden: [] });
  const posts = await hydratePosts([withImage.id, reply.id], viewer!.id);

  expect(items.map(({ reason: _reason, ...post }) => post)).toEqual(posts);
  expect(posts[0]).toMatchObject({ likedByMe: true, repostedByMe: false, media: [{ width: 640, height: 480, altText: "a bird" }] });
  expect(posts[1]).toMatchObject({ likedByMe: false, repostedByMe: true, replyTo: { id: parent.id } });
  expect(items.map((i) => i.reason && { by: i.reason.by.id, at: Date.parse(i.reason.at) })).toEqual([{ by: reposter!.id, at: Number(repost!.t) }, null]);

  // The reposter hidden (muted, say): their repost is no reason any more.
  expect(await hydrateFeed({ viewerId: viewer!.id, entries, hidden: [reposter!.id] })).toEqual([items[1]]);
});
