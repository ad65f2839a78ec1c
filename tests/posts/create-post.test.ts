// createPost and deletePost against the real Postgres, Redis and the run's orchestrator.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import { RateLimitError } from "@/lib/rate-limit";
import { outboxRow, sentEvents, UUID } from "../support/events";
import { makeUser } from "../support/fixtures";
import { insertPosts, postRow, postsCount, rateLimitOf } from "./support";
import { appErrorOf } from "../support/app-error";

afterAll(closeDb);

describe("createPost", () => {
  it("stores the post, counts it on the author and returns the Post object", async () => {
    const author = await makeUser();
    const before = Date.now();
    const post = await createPost({ authorId: author.id, content: "  hello, world  " });
    expect(post).toEqual({
      id: expect.stringMatching(/^\d+$/),
      author: { id: author.id, username: author.username, displayName: author.displayName, avatarUrl: null },
      content: "hello, world",
      createdAt: expect.any(String),
      likeCount: 0,
      replyCount: 0,
      repostCount: 0,
      likedByMe: false,
      repostedByMe: false,
      replyTo: null,
      media: [],
    });
    expect(new Date(post.createdAt).toISOString()).toBe(post.createdAt);
    expect(Date.parse(post.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const row = await postRow(post.id);
    expect(row).toMatchObject({ authorId: author.id, content: "hello, world", deletedAt: null });
    expect(row!.createdAt.toISOString()).toBe(post.createdAt);
    expect(await postsCount(author.id)).toBe(1);
  });

  it("sends post/created with the post's data through the outbox, and prunes the delivered row", async () => {
    const author = await makeUser();
    const post = await createPost({ authorId: author.id, content: "announce me" });
    const events = (await sentEvents("post/created")).filter((e) => e.data.postId === post.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: expect.stringMatching(UUID), name: "post/created" });
    expect(events[0]!.data).toEqual({ postId: post.id, authorId: author.id, createdAt: post.createdAt });
    expect(await outboxRow(events[0]!.id)).toBeUndefined();
  });

  it("counts characters as a person does: 280 emoji or CJK characters fit, 281 do not", async () => {
    const author = await makeUser();
    const family = "👨‍👩‍👧".repeat(280);
    expect((await createPost({ authorId: author.id, content: family })).content).toBe(family);
    const cjk = "你好世界。".repeat(56);
    expect((await createPost({ authorId: author.id, content: cjk })).content).toBe(cjk);

    for (const content of ["👨‍👩‍👧".repeat(281), "字".repeat(281), "a".repeat(281)]) {
      const error = await appErrorOf(createPost({ authorId: author.id, content }));
      expect(error.status).toBe(400);
      expect(error.fields).toEqual({ content: "Posts can be at most 280 characters." });
    }
    expect(await postsCount(author.id)).toBe(2);
  });

  it("refuses empty and whitespace-only posts with fields.content", async () => {
    const author = await makeUser();
    for (const content of ["", "   ", "\n\t "]) {
      const error = await appErrorOf(createPost({ authorId: author.id, content }));
      expect(error).toMatchObject({ status: 400, code: "invalid_input", fields: { content: "Write something first." } });
    }
    expect(await postsCount(author.id)).toBe(0);
  });

  it("answers 400, not a database error, for content the table would refuse", async () => {
    const author = await makeUser();
    // 100 graphemes, but 2100 code points: over the posts_content_length check.
    const zalgo = `e${"\u0301".repeat(20)}`.repeat(100);
    expect((await appErrorOf(createPost({ authorId: author.id, content: zalgo }))).fields).toEqual({ content: "This post is too long." });
    expect((await appErrorOf(createPost({ authorId: author.id, content: "a\u0000b" }))).fields).toEqual({
      content: "Posts can't contain NUL characters.",
    });
    expect(await postsCount(author.id)).toBe(0);
  });

  it("is 404 for an author that does not exist, and writes nothing", async () => {
    const error = await appErrorOf(createPost({ authorId: "999999999999", content: "ghost" }));
    expect(error).toMatchObject({ status: 404, code: "not_found" });
  });

  it("rate-limits posting per author: past the limit a RateLimitError (429) and no post", async () => {
    const author = await makeUser();
    const other = await makeUser();
    const limit = rateLimitOf(30);
    for (let i = 0; i < limit; i++) await createPost({ authorId: author.id, content: `post ${i}` });
    const error = await appErrorOf(createPost({ authorId: author.id, content: "one too many" }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.status).toBe(429);
    expect((error as RateLimitError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((error as RateLimitError).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await postsCount(author.id)).toBe(limit);
    // The limit is per author.
    await expect(createPost({ authorId: other.id, content: "still fine" })).resolves.toMatchObject({ content: "still fine" });
  });
});

describe("deletePost", () => {
  it("soft-deletes the post, uncounts it and sends post/deleted", async () => {
    const author = await makeUser();
    const post = await createPost({ authorId: author.id, content: "short-lived" });
    await deletePost({ postId: post.id, userId: author.id });
    const row = await postRow(post.id);
    expect(row!.deletedAt).toBeInstanceOf(Date);
    expect(row!.content).toBe("short-lived");
    expect(await postsCount(author.id)).toBe(0);
    const events = (await sentEvents("post/deleted")).filter((e) => e.data.postId === post.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: expect.stringMatching(UUID), name: "post/deleted" });
    expect(await outboxRow(events[0]!.id)).toBeUndefined();
    expect(events[0]!.data).toEqual({ postId: post.id, authorId: author.id });
  });

  it("is 403 for someone else's post and leaves it alone", async () => {
    const [author, other] = [await makeUser(), await makeUser()];
    const [post] = await insertPosts(author.id, [{ content: "mine" }]);
    const error = await appErrorOf(deletePost({ postId: post!.id, userId: other.id }));
    expect(error).toMatchObject({ status: 403, code: "forbidden" });
    expect((await postRow(post!.id))!.deletedAt).toBeNull();
  });

  it("is 404 for an unknown post, 404 the second time, 400 for a malformed id", async () => {
    const author = await makeUser();
    const post = await createPost({ authorId: author.id, content: "once" });
    expect(await appErrorOf(deletePost({ postId: "987654321987", userId: author.id }))).toMatchObject({ status: 404 });
    await deletePost({ postId: post.id, userId: author.id });
    expect(await appErrorOf(deletePost({ postId: post.id, userId: author.id }))).toMatchObject({ status: 404, code: "not_found" });
    expect(await postsCount(author.id)).toBe(0);
    for (const id of ["abc", "-1", "1.5", "", "99999999999999999999", "9223372036854775808"]) {
      expect(await appErrorOf(deletePost({ postId: id, userId: author.id }))).toMatchObject({ status: 400, fields: { id: "Not a valid post id." } });
    }
  });

  it("decrements the post count once when the same post is deleted concurrently", async () => {
    const author = await makeUser();
    await createPost({ authorId: author.id, content: "keep" });
    const post = await createPost({ authorId: author.id, content: "race" });
    expect(await postsCount(author.id)).toBe(2);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => deletePost({ postId: post.id, userId: author.id })));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ status: 404 });
    expect(await postsCount(author.id)).toBe(1);
    expect((await sentEvents("post/deleted")).filter((e) => e.data.postId === post.id)).toHaveLength(1);
  });
});
