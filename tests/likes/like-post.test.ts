// likePost / unlikePost against the real Postgres and Redis: idempotence, 404s, and the
// invariant that posts.like_count always equals the number of like rows, also under
// concurrency.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { likePost, unlikePost } from "@/lib/reactions/likes";
import { deletePost } from "@/lib/posts/delete-post";
import { getPost } from "@/lib/posts/queries";
import { RateLimitError } from "@/lib/rate-limit";
import { makeUser } from "../support/fixtures";
import { insertPosts, likeRows, postRow, rateLimitOf } from "../posts/support";
import { appErrorOf } from "../support/app-error";

afterAll(closeDb);

async function aPost() {
  const author = await makeUser();
  const [post] = await insertPosts(author.id, [{ content: "like me" }]);
  return { author, post: post! };
}

async function expectCountMatchesRows(postId: string) {
  const row = await postRow(postId);
  expect(row!.likeCount).toBe(await likeRows(postId));
  return row!.likeCount;
}

describe("likePost / unlikePost", () => {
  it("likes and unlikes idempotently, and the post shows it", async () => {
    const { post } = await aPost();
    const [fan, other] = [await makeUser(), await makeUser()];
    expect(await likePost({ userId: fan.id, postId: post.id })).toEqual({ likeCount: 1, likedByMe: true });
    expect(await likePost({ userId: fan.id, postId: post.id })).toEqual({ likeCount: 1, likedByMe: true });
    expect(await likePost({ userId: other.id, postId: post.id })).toEqual({ likeCount: 2, likedByMe: true });
    expect(await getPost({ postId: post.id, viewerId: fan.id })).toMatchObject({ likeCount: 2, likedByMe: true });
    expect(await expectCountMatchesRows(post.id)).toBe(2);

    expect(await unlikePost({ userId: fan.id, postId: post.id })).toEqual({ likeCount: 1, likedByMe: false });
    expect(await unlikePost({ userId: fan.id, postId: post.id })).toEqual({ likeCount: 1, likedByMe: false });
    expect(await getPost({ postId: post.id, viewerId: fan.id })).toMatchObject({ likeCount: 1, likedByMe: false });
    expect(await expectCountMatchesRows(post.id)).toBe(1);
  });

  it("unliking a post never liked changes nothing", async () => {
    const { post } = await aPost();
    const user = await makeUser();
    expect(await unlikePost({ userId: user.id, postId: post.id })).toEqual({ likeCount: 0, likedByMe: false });
    expect(await expectCountMatchesRows(post.id)).toBe(0);
  });

  it("is 404 for unknown and deleted posts, 400 for a malformed id", async () => {
    const { author, post } = await aPost();
    const user = await makeUser();
    await likePost({ userId: user.id, postId: post.id });
    expect(await appErrorOf(likePost({ userId: user.id, postId: "987654321987" }))).toMatchObject({ status: 404, message: "Post was not found." });
    expect(await appErrorOf(unlikePost({ userId: user.id, postId: "987654321987" }))).toMatchObject({ status: 404 });
    await deletePost({ postId: post.id, userId: author.id });
    expect(await appErrorOf(likePost({ userId: (await makeUser()).id, postId: post.id }))).toMatchObject({ status: 404 });
    expect(await appErrorOf(unlikePost({ userId: user.id, postId: post.id }))).toMatchObject({ status: 404 });
    expect(await expectCountMatchesRows(post.id)).toBe(1);
    for (const id of ["x", "1e3", "99999999999999999999"]) {
      expect(await appErrorOf(likePost({ userId: user.id, postId: id }))).toMatchObject({ status: 400, fields: { id: "Not a valid post id." } });
    }
  });

  it("counts 30 concurrent likes by 30 users as 30", async () => {
    const { post } = await aPost();
    const fans = await Promise.all(Array.from({ length: 30 }, () => makeUser()));
    const results = await Promise.all(fans.map((fan) => likePost({ userId: fan.id, postId: post.id })));
    expect(results.every((r) => r.likedByMe)).toBe(true);
    // Each answer saw its own like committed: the counts handed out are exactly 1..30.
    expect(results.map((r) => r.likeCount).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await expectCountMatchesRows(post.id)).toBe(30);
    // And all at once the other way.
    await Promise.all(fans.slice(0, 12).map((fan) => unlikePost({ userId: fan.id, postId: post.id })));
    expect(await expectCountMatchesRows(post.id)).toBe(18);
  });

  it("keeps the count equal to the rows when one user likes and unlikes concurrently, over and over", async () => {
    const { post } = await aPost();
    const [user, bystander] = [await makeUser(), await makeUser()];
    await likePost({ userId: bystander.id, postId: post.id });
    for (let round = 0; round < 15; round++) {
      await Promise.all([
        likePost({ userId: user.id, postId: post.id }),
        unlikePost({ userId: user.id, postId: post.id }),
        likePost({ userId: user.id, postId: post.id }),
        unlikePost({ userId: user.id, postId: post.id }),
      ]);
      const count = await expectCountMatchesRows(post.id);
      expect([1, 2]).toContain(count);
    }
  });

  it("keeps the count equal to the rows when the post is deleted while people like it", async () => {
    const { author, post } = await aPost();
    const fans = await Promise.all(Array.from({ length: 15 }, () => makeUser()));
    const outcomes = await Promise.allSettled([
      ...fans.map((fan) => likePost({ userId: fan.id, postId: post.id })),
      deletePost({ postId: post.id, userId: author.id }),
    ]);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ status: 404 });
    expect((await postRow(post.id))!.deletedAt).not.toBeNull();
    await expectCountMatchesRows(post.id);
  });

  it("rate-limits liking per user: past the limit a RateLimitError (429) and no change", async () => {
    const { post } = await aPost();
    const [user, other] = [await makeUser(), await makeUser()];
    const limit = rateLimitOf(120);
    for (let i = 0; i < limit; i++) {
      await (i % 2 === 0 ? likePost : unlikePost)({ userId: user.id, postId: post.id });
    }
    const error = await appErrorOf(likePost({ userId: user.id, postId: post.id }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.status).toBe(429);
    expect(await expectCountMatchesRows(post.id)).toBe(0);
    await expect(likePost({ userId: other.id, postId: post.id })).resolves.toEqual({ likeCount: 1, likedByMe: true });
  });
});
