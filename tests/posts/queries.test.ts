// getPost, listUserPosts (keyset pagination) and hydratePosts against the real Postgres.
import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { closeDb, getDb, getSql } from "@/db";
import { likes, posts } from "@/db/schema";
import { encodeCursor } from "@/lib/cursor";
import { hydratePosts, type PostDto } from "@/lib/posts/dto";
import { deletePost } from "@/lib/posts/delete-post";
import { authorPageQuery, getPost, listUserPosts } from "@/lib/posts/queries";
import { makeUser } from "../support/fixtures";
import { insertPosts } from "./support";
import { appErrorOf } from "../support/app-error";

afterAll(closeDb);

/** 45 posts over 20 milliseconds: groups of up to five share a millisecond, ids shuffled against time. */
async function fortyFivePosts(authorId: string) {
  const base = Date.parse("2026-03-01T12:00:00.000Z");
  const specs = Array.from({ length: 45 }, (_, i) => ({ content: `post ${i}`, createdAt: new Date(base + Math.floor(i / 5) * 1 + (i % 2) * 10) }));
  // Insert in a scrambled order so ids do not follow time: the tie-break must really be the id.
  const scrambled = specs.map((s, i) => ({ s, k: (i * 17) % 45 })).sort((a, b) => a.k - b.k).map((x) => x.s);
  const rows = await insertPosts(authorId, scrambled);
  const sorted = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  const sameMs = new Set(rows.map((r) => r.createdAt.getTime())).size;
  expect(sameMs).toBeLessThan(45); // several posts really share a millisecond
  return sorted.map((r) => r.id);
}

async function readAll(username: string, limit: number, viewerId: string | null = null) {
  const pages: Array<{ items: PostDto[]; nextCursor: string | null }> = [];
  let cursor: string | undefined;
  do {
    const page = await listUserPosts({ username, cursor, limit, viewerId });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return pages;
}

describe("getPost", () => {
  it("returns the post with its author and counts; 404 once deleted; 404 unknown; 400 malformed", async () => {
    const [author, viewer] = [await makeUser(), await makeUser()];
    const [row] = await insertPosts(author.id, [{ content: "<b>not html</b>" }]);
    await getDb().update(posts).set({ likeCount: 1, replyCount: 2, repostCount: 3 }).where(eq(posts.id, row!.id));
    await getDb().insert(likes).values({ userId: viewer.id, postId: row!.id });

    const seen = await getPost({ postId: row!.id, viewerId: viewer.id });
    expect(seen).toEqual({
      id: row!.id,
      author: { id: author.id, username: author.username, displayName: author.displayName, avatarUrl: null },
      content: "<b>not html</b>",
      createdAt: row!.createdAt.toISOString(),
      likeCount: 1,
      replyCount: 2,
      repostCount: 3,
      likedByMe: true,
      repostedByMe: false,
      replyTo: null,
      media: [],
    });
    expect((await getPost({ postId: row!.id, viewerId: author.id })).likedByMe).toBe(false);
    expect((await getPost({ postId: row!.id, viewerId: null })).likedByMe).toBe(false);

    await deletePost({ postId: row!.id, userId: author.id });
    expect(await appErrorOf(getPost({ postId: row!.id, viewerId: null }))).toMatchObject({ status: 404, code: "not_found", message: "Post was not found." });
    expect(await appErrorOf(getPost({ postId: "9123456789012", viewerId: null }))).toMatchObject({ status: 404 });
    expect(await appErrorOf(getPost({ postId: "12abc", viewerId: null }))).toMatchObject({ status: 400, fields: { id: "Not a valid post id." } });
    expect(await appErrorOf(getPost({ postId: "9223372036854775808", viewerId: null }))).toMatchObject({ status: 400 });
  });

  it("accepts an id with leading zeros as the same post", async () => {
    const author = await makeUser();
    const [row] = await insertPosts(author.id, [{ content: "zeros" }]);
    expect((await getPost({ postId: `000${row!.id}`, viewerId: null })).id).toBe(row!.id);
  });
});

describe("hydratePosts", () => {
  it("keeps the input order, drops deleted and unknown ids, and marks the viewer's likes", async () => {
    const [author, viewer] = [await makeUser(), await makeUser()];
    const rows = await insertPosts(author.id, [{ content: "a" }, { content: "b" }, { content: "c" }, { content: "d" }]);
    const [a, b, c, d] = rows.map((r) => r.id) as [string, string, string, string];
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, c));
    await getDb().insert(likes).values([{ userId: viewer.id, postId: d }, { userId: viewer.id, postId: a }]);

    const out = await hydratePosts([d, "999999999999", b, c, a, "not-an-id"], viewer.id);
    expect(out.map((p) => [p.id, p.content, p.likedByMe])).toEqual([
      [d, "d", true],
      [b, "b", false],
      [a, "a", true],
    ]);
    expect(out[0]!.author).toEqual({ id: author.id, username: author.username, displayName: author.displayName, avatarUrl: null });
    expect((await hydratePosts([d, a], null)).map((p) => p.likedByMe)).toEqual([false, false]);
    expect(await hydratePosts([], viewer.id)).toEqual([]);
  });
});

describe("listUserPosts", () => {
  it("pages 45 posts (several in the same millisecond) by 20: every post once, newest first, then null", async () => {
    const author = await makeUser();
    const expected = await fortyFivePosts(author.id);
    const pages = await readAll(author.username, 20);
    expect(pages.map((p) => p.items.length)).toEqual([20, 20, 5]);
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(expected);
    // Other page sizes tile the same sequence, including 1 and one that divides it exactly.
    for (const limit of [1, 7, 15, 45, 100]) {
      expect((await readAll(author.username, limit)).flatMap((p) => p.items.map((i) => i.id))).toEqual(expected);
    }
  });

  it("returns nextCursor null exactly when nothing older exists (a page that ends on the last post)", async () => {
    const author = await makeUser();
    await insertPosts(author.id, Array.from({ length: 40 }, () => ({})));
    const first = await listUserPosts({ username: author.username, limit: 20, viewerId: null });
    expect(first.nextCursor).not.toBeNull();
    const second = await listUserPosts({ username: author.username, cursor: first.nextCursor!, limit: 20, viewerId: null });
    expect(second.items).toHaveLength(20);
    expect(second.nextCursor).toBeNull();

    const empty = await makeUser();
    expect(await listUserPosts({ username: empty.username, limit: 20, viewerId: null })).toEqual({ items: [], nextCursor: null });
  });

  it("neither repeats nor skips when a post is published or deleted between page reads", async () => {
    const author = await makeUser();
    const expected = await fortyFivePosts(author.id);
    const page1 = await listUserPosts({ username: author.username, limit: 20, viewerId: null });
    // A brand-new post (newest of all) and the deletion of the post the cursor points at.
    const [fresh] = await insertPosts(author.id, [{ content: "published meanwhile", createdAt: new Date() }]);
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, page1.items[19]!.id));
    const page2 = await listUserPosts({ username: author.username, cursor: page1.nextCursor!, limit: 20, viewerId: null });
    const page3 = await listUserPosts({ username: author.username, cursor: page2.nextCursor!, limit: 20, viewerId: null });
    const ids = [...page1.items, ...page2.items, ...page3.items].map((p) => p.id);
    expect(ids).toEqual(expected);
    expect(ids).not.toContain(fresh!.id);
    expect(page3.nextCursor).toBeNull();
    // A fresh read sees the new post first and not the deleted one.
    const again = await listUserPosts({ username: author.username, limit: 100, viewerId: null });
    expect(again.items[0]!.id).toBe(fresh!.id);
    expect(again.items.map((p) => p.id)).not.toContain(page1.items[19]!.id);
  });

  it("leaves deleted posts out and marks the viewer's likes", async () => {
    const [author, viewer] = [await makeUser(), await makeUser()];
    const rows = await insertPosts(author.id, [
      { content: "old", createdAt: new Date("2026-01-01T00:00:00Z") },
      { content: "gone", createdAt: new Date("2026-01-02T00:00:00Z") },
      { content: "new", createdAt: new Date("2026-01-03T00:00:00Z") },
    ]);
    await deletePost({ postId: rows[1]!.id, userId: author.id });
    await getDb().insert(likes).values({ userId: viewer.id, postId: rows[0]!.id });
    const page = await listUserPosts({ username: author.username, limit: 20, viewerId: viewer.id });
    expect(page.items.map((p) => [p.content, p.likedByMe])).toEqual([
      ["new", false],
      ["old", true],
    ]);
    expect(page.items[0]!.author).toEqual({ id: author.id, username: author.username, displayName: author.displayName, avatarUrl: null });
  });

  it("finds the user case-insensitively; 404 for an unknown user", async () => {
    const author = await makeUser();
    await insertPosts(author.id, [{ content: "hi" }]);
    expect((await listUserPosts({ username: author.username.toUpperCase(), limit: 20, viewerId: null })).items).toHaveLength(1);
    expect(await appErrorOf(listUserPosts({ username: "nobody_here_x", limit: 20, viewerId: null }))).toMatchObject({
      status: 404,
      message: "User was not found.",
    });
  });

  it("refuses malformed cursors with 400 invalid_cursor", async () => {
    const author = await makeUser();
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    for (const cursor of ["!!!", "abc", b64("1.x"), b64("-1.5"), b64("1.99999999999999999999"), b64("1.9223372036854775808"), "a".repeat(65)]) {
      expect(await appErrorOf(listUserPosts({ username: author.username, cursor, limit: 20, viewerId: null }))).toMatchObject({
        status: 400,
        code: "invalid_cursor",
      });
    }
    // Well-formed but far away: simply nothing, or everything.
    expect((await listUserPosts({ username: author.username, cursor: encodeCursor({ t: 0, id: "1" }), limit: 5, viewerId: null })).items).toEqual([]);
    await insertPosts(author.id, [{ content: "x" }]);
    const future = encodeCursor({ t: 999_999_999_999_999, id: "1" });
    expect((await listUserPosts({ username: author.username, cursor: future, limit: 5, viewerId: null })).items).toHaveLength(1);
  });

  it("reads through posts_author_created_idx without a sort (keyset, not OFFSET)", async () => {
    const author = await makeUser();
    await insertPosts(author.id, [{}, {}]);
    // The very statement listUserPosts sends for a page after a cursor.
    const query = authorPageQuery({ authorId: author.id, after: { t: Date.now(), id: "9000000000000000000" }, limit: 21 });
    const plan = await getSql().begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      await tx`set local enable_sort = off`;
      return tx`explain ${query}`;
    });
    const text = plan.map((r) => String(Object.values(r)[0])).join("\n");
    expect(text).toMatch(/Index Cond: .*created_at.*id/);
    expect(text).toContain("posts_author_created_idx");
    expect(text).not.toContain("Sort");
  });
});
