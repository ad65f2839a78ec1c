// Threads: the reply chain above a post (GET /posts/{id}/context), its direct replies oldest
// first (GET /posts/{id}/replies), replying (POST /posts with replyToId) and the reply
// counts, against the real Postgres; only the session is faked.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { closeDb, getDb, getSql } from "@/db";
import { blocks, posts } from "@/db/schema";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import type { PostDto } from "@/lib/posts/dto";
import { getPost } from "@/lib/posts/queries";
import { getContext, listReplies, MAX_ANCESTORS, repliesPageQuery } from "@/lib/posts/thread";
import { POST as createPostRoute } from "@/app/api/v1/posts/route";
import { GET as contextRoute } from "@/app/api/v1/posts/[id]/context/route";
import { GET as repliesRoute } from "@/app/api/v1/posts/[id]/replies/route";
import { appErrorOf } from "../support/app-error";
import { sentEvents } from "../support/events";
import { type ErrorBody, apiRequest, makeUser, readJson, routeParams } from "../support/fixtures";
import { logInAs, logInAsNewUser } from "../support/session";
import { insertPosts, postRow } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
});

type PageBody = { items: PostDto[]; nextCursor: string | null };

const publish = (json: unknown) => createPostRoute(apiRequest("POST", "/api/v1/posts", { json }), routeParams({}));
const contextOf = (id: string) => contextRoute(apiRequest("GET", `/api/v1/posts/${id}/context`), routeParams({ id }));
const repliesOf = (id: string, search = "") => repliesRoute(apiRequest("GET", `/api/v1/posts/${id}/replies${search}`), routeParams({ id }));

/** A reply written straight to the table (no rate limit, a chosen time), counted on its parent like createPost does. */
async function insertReply(parent: { id: string; authorId: string }, authorId: string, createdAt?: Date, content = "a reply") {
  return getDb().transaction(async (tx) => {
    await tx
      .update(posts)
      .set({ replyCount: sql`${posts.replyCount} + 1` })
      .where(eq(posts.id, parent.id));
    const [row] = await tx.insert(posts).values({ authorId, content, replyToId: parent.id, replyToUserId: parent.authorId, createdAt }).returning();
    return row!;
  });
}

/** Every page of a post's replies through the API, following nextCursor. */
async function allReplyPages(postId: string, limit: number): Promise<PostDto[][]> {
  const pages: PostDto[][] = [];
  let search = `?limit=${limit}`;
  for (;;) {
    const { status, body } = await readJson<PageBody>(await repliesOf(postId, search));
    expect(status).toBe(200);
    pages.push(body.items);
    if (!body.nextCursor) return pages;
    search = `?limit=${limit}&cursor=${encodeURIComponent(body.nextCursor)}`;
  }
}

/** The live direct replies as the database orders them: (created_at, id) ascending. */
async function repliesInDbOrder(postId: string): Promise<string[]> {
  const rows = await getDb()
    .select({ id: posts.id })
    .from(posts)
    .where(sql`${posts.replyToId} = ${postId} and ${posts.deletedAt} is null`)
    .orderBy(posts.createdAt, posts.id);
  return rows.map((r) => r.id);
}

describe("GET /api/v1/posts/{id}/context", () => {
  it("lists the chain above a post root first, leaves deleted ancestors out and walks on through them", async () => {
    const [alice, bob, carol] = [await makeUser(), await makeUser(), await makeUser()];
    const root = await createPost({ authorId: alice.id, content: "root" });
    const a = await createPost({ authorId: bob.id, content: "a", replyToId: root.id });
    const b = await createPost({ authorId: carol.id, content: "b", replyToId: a.id });
    const c = await createPost({ authorId: alice.id, content: "c", replyToId: b.id });

    const { status, body } = await readJson<{ ancestors: PostDto[] }>(await contextOf(c.id));
    expect(status).toBe(200);
    expect(body.ancestors.map((p) => p.content)).toEqual(["root", "a", "b"]);
    expect(body.ancestors[1]).toMatchObject({ id: a.id, author: { username: bob.username }, replyCount: 1, replyTo: { id: root.id, author: { id: alice.id } } });
    expect((await getContext({ postId: root.id, viewerId: null })).ancestors).toEqual([]);
    expect((await getContext({ postId: a.id, viewerId: null })).ancestors.map((p) => p.id)).toEqual([root.id]);

    await deletePost({ postId: a.id, userId: bob.id });
    expect((await getContext({ postId: c.id, viewerId: null })).ancestors.map((p) => p.content)).toEqual(["root", "b"]);
    // The chain still says whom b answered.
    expect((await getPost({ postId: b.id, viewerId: null })).replyTo).toMatchObject({ id: a.id, author: { username: bob.username } });
    await deletePost({ postId: root.id, userId: alice.id });
    expect((await getContext({ postId: c.id, viewerId: null })).ancestors.map((p) => p.content)).toEqual(["b"]);
  });

  it("marks likedByMe / repostedByMe for the viewer in the ancestors", async () => {
    const author = await makeUser();
    const root = await createPost({ authorId: author.id, content: "root" });
    const reply = await createPost({ authorId: author.id, content: "reply", replyToId: root.id });
    const viewer = await logInAsNewUser();
    await getDb().execute(sql`insert into likes (user_id, post_id) values (${viewer.id}, ${root.id})`);
    const { body } = await readJson<{ ancestors: PostDto[] }>(await contextOf(reply.id));
    expect(body.ancestors).toEqual([expect.objectContaining({ id: root.id, likedByMe: true, repostedByMe: false })]);
  });

  it(`stops ${MAX_ANCESTORS} posts up a longer chain, keeping the nearest ones`, async () => {
    const author = await makeUser();
    const [root] = await insertPosts(author.id, [{ content: "p0" }]);
    let parent = root!;
    const chain = [root!];
    for (let i = 1; i <= MAX_ANCESTORS + 5; i++) {
      parent = await insertReply(parent, author.id, undefined, `p${i}`);
      chain.push(parent);
    }
    const { ancestors } = await getContext({ postId: parent.id, viewerId: null });
    expect(ancestors.map((p) => p.id)).toEqual(chain.slice(-MAX_ANCESTORS - 1, -1).map((p) => p.id));
  });

  it("is 404 for a deleted or unknown post and for a viewer its author blocked, 400 for a malformed id", async () => {
    const author = await makeUser();
    const root = await createPost({ authorId: author.id, content: "root" });
    const reply = await createPost({ authorId: author.id, content: "reply", replyToId: root.id });
    const blocked = await makeUser();
    await getDb().insert(blocks).values({ blockerId: author.id, blockedId: blocked.id });
    logInAs(blocked);
    expect((await readJson<ErrorBody>(await contextOf(reply.id))).body.error.code).toBe("not_found");
    logInAs(null);
    expect((await contextOf(reply.id)).status).toBe(200);
    await deletePost({ postId: reply.id, userId: author.id });
    expect((await contextOf(reply.id)).status).toBe(404);
    expect((await contextOf("987654321987")).status).toBe(404);
    const { status, body } = await readJson<ErrorBody>(await contextOf("12x"));
    expect(status).toBe(400);
    expect(body.error.fields).toEqual({ id: "Not a valid post id." });
  });

  it("leaves out the ancestors whose author blocked the viewer", async () => {
    const [blocker, other] = [await makeUser(), await makeUser()];
    const root = await createPost({ authorId: other.id, content: "root" });
    const middle = await createPost({ authorId: blocker.id, content: "middle", replyToId: root.id });
    const leaf = await createPost({ authorId: other.id, content: "leaf", replyToId: middle.id });
    const viewer = await makeUser();
    await getDb().insert(blocks).values({ blockerId: blocker.id, blockedId: viewer.id });
    expect((await getContext({ postId: leaf.id, viewerId: viewer.id })).ancestors.map((p) => p.content)).toEqual(["root"]);
    expect((await getContext({ postId: leaf.id, viewerId: null })).ancestors.map((p) => p.content)).toEqual(["root", "middle"]);
  });
});

describe("GET /api/v1/posts/{id}/replies", () => {
  it("pages the direct replies oldest first, exactly, through the cursor (equal timestamps included)", async () => {
    const [author, replier] = [await makeUser(), await makeUser()];
    const [parent, other] = await insertPosts(author.id, [{ content: "parent" }, { content: "other" }]);
    const at = new Date("2026-03-01T12:00:00.000Z");
    // 25 replies, 10 of them in one millisecond, written out of time order.
    for (let i = 24; i >= 0; i--) await insertReply(parent!, replier.id, i < 10 ? at : new Date(at.getTime() + i * 1000), `r${i}`);
    // Not direct replies of parent: a reply to another post, a reply to a reply, a deleted reply.
    await insertReply(other!, replier.id, at);
    const [firstReply] = await repliesInDbOrder(parent!.id);
    await insertReply({ id: firstReply!, authorId: replier.id }, author.id, at);
    const gone = await insertReply(parent!, replier.id, at);
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, gone.id));

    const pages = await allReplyPages(parent!.id, 10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const ids = pages.flat().map((p) => p.id);
    expect(ids).toEqual(await repliesInDbOrder(parent!.id));
    expect(new Set(ids).size).toBe(25);
    expect(pages.flat().map((p) => p.content).slice(10)).toEqual(Array.from({ length: 15 }, (_, i) => `r${i + 10}`));
    expect(pages[0]![0]).toMatchObject({ replyTo: { id: parent!.id, author: { username: author.username } }, replyCount: 1 });
  });

  it("keeps a cursor valid when replies are added and deleted meanwhile: no repeats, no skips", async () => {
    const [author, replier] = [await makeUser(), await makeUser()];
    const [parent] = await insertPosts(author.id, [{ content: "parent" }]);
    const at = new Date("2026-03-02T12:00:00.000Z");
    for (let i = 0; i < 6; i++) await insertReply(parent!, replier.id, at);
    const before = await repliesInDbOrder(parent!.id);

    const { body: first } = await readJson<PageBody>(await repliesOf(parent!.id, "?limit=3"));
    expect(first.items.map((p) => p.id)).toEqual(before.slice(0, 3));
    // Meanwhile: the last reply shown and one not yet shown are deleted, a new one arrives
    // in the same millisecond (so after them all by id) and one later.
    await getDb().update(posts).set({ deletedAt: new Date() }).where(sql`${posts.id} in (${before[2]}, ${before[4]})`);
    const same = await insertReply(parent!, replier.id, at);
    const later = await insertReply(parent!, replier.id, new Date(at.getTime() + 1));

    const { status, body: second } = await readJson<PageBody>(await repliesOf(parent!.id, `?limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`));
    expect(status).toBe(200);
    expect(second.items.map((p) => p.id)).toEqual([before[3], before[5], same.id]);
    const { body: third } = await readJson<PageBody>(await repliesOf(parent!.id, `?limit=3&cursor=${encodeURIComponent(second.nextCursor!)}`));
    expect(third).toEqual({ items: [expect.objectContaining({ id: later.id })], nextCursor: null });
  });

  it("defaults to 20 and says nextCursor null exactly when nothing newer is left", async () => {
    const [author, replier] = [await makeUser(), await makeUser()];
    const [parent] = await insertPosts(author.id, [{ content: "parent" }]);
    for (let i = 0; i < 20; i++) await insertReply(parent!, replier.id);
    const { body } = await readJson<PageBody>(await repliesOf(parent!.id));
    expect(body.items).toHaveLength(20);
    expect(body.nextCursor).toBeNull();
    await insertReply(parent!, replier.id);
    const { body: more } = await readJson<PageBody>(await repliesOf(parent!.id));
    expect(more.items).toHaveLength(20);
    expect(more.nextCursor).toEqual(expect.any(String));
    const { body: empty } = await readJson<PageBody>(await repliesOf((await insertPosts(author.id, [{}]))[0]!.id));
    expect(empty).toEqual({ items: [], nextCursor: null });
  });

  it("reads through posts_reply_to_idx without a sort (keyset, not OFFSET)", async () => {
    const author = await makeUser();
    const [parent] = await insertPosts(author.id, [{}]);
    await insertReply(parent!, author.id);
    // The very statement listReplies sends for a page after a cursor.
    const query = repliesPageQuery({ postId: parent!.id, after: { t: 0, id: "1" }, limit: 21, viewerId: author.id });
    const plan = await getSql().begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      await tx`set local enable_sort = off`;
      return tx`explain ${query}`;
    });
    const text = plan.map((r) => String(Object.values(r)[0])).join("\n");
    expect(text).toMatch(/Index Cond: .*reply_to_id.*created_at.*id/s);
    expect(text).toContain("posts_reply_to_idx");
    expect(text).not.toMatch(/Sort|offset/i);
  });

  it("is 400 for a bad limit or a malformed cursor, 404 for a deleted or unknown post", async () => {
    const author = await makeUser();
    const [parent] = await insertPosts(author.id, [{ content: "parent" }]);
    for (const limit of ["0", "101", "abc", "2.5"]) {
      const { status, body } = await readJson<ErrorBody>(await repliesOf(parent!.id, `?limit=${limit}`));
      expect(status, `limit=${limit}`).toBe(400);
      expect(body.error.fields?.limit).toBeTruthy();
    }
    for (const cursor of ["garbage!", "Zm9vYmFy"]) {
      const { status, body } = await readJson<ErrorBody>(await repliesOf(parent!.id, `?cursor=${encodeURIComponent(cursor)}`));
      expect(status).toBe(400);
      expect(body.error.code).toBe("invalid_cursor");
    }
    expect((await repliesOf("987654321987")).status).toBe(404);
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, parent!.id));
    expect((await readJson<ErrorBody>(await repliesOf(parent!.id))).body.error.code).toBe("not_found");
  });

  it("hides the replies of authors who blocked the viewer, and the whole post from a viewer its author blocked", async () => {
    const [author, blocker, friend, viewer] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const [parent] = await insertPosts(author.id, [{ content: "parent" }]);
    const hidden = await insertReply(parent!, blocker.id);
    const shown = await insertReply(parent!, friend.id);
    await getDb().insert(blocks).values({ blockerId: blocker.id, blockedId: viewer.id });
    const page = await listReplies({ postId: parent!.id, viewerId: viewer.id, limit: 20 });
    expect(page.items.map((p) => p.id)).toEqual([shown.id]);
    expect((await listReplies({ postId: parent!.id, viewerId: null, limit: 20 })).items.map((p) => p.id)).toEqual([hidden.id, shown.id]);
    await getDb().insert(blocks).values({ blockerId: author.id, blockedId: viewer.id });
    logInAs(viewer);
    expect((await repliesOf(parent!.id)).status).toBe(404);
  });
});

describe("replying: POST /api/v1/posts with replyToId", () => {
  it("publishes a reply: 201 with replyTo, the parent's reply count up, post/created naming the parent", async () => {
    const author = await makeUser();
    const [parent] = await insertPosts(author.id, [{ content: "parent" }]);
    const replier = await logInAsNewUser();
    const { status, body } = await readJson<PostDto>(await publish({ content: "my reply", replyToId: parent!.id }));
    expect(status).toBe(201);
    expect(body).toMatchObject({ content: "my reply", replyTo: { id: parent!.id, author: { id: author.id, username: author.username, displayName: author.displayName } } });
    expect((await getPost({ postId: parent!.id, viewerId: null })).replyCount).toBe(1);
    const events = (await sentEvents("post/created")).filter((e) => e.data.postId === body.id);
    expect(events.map((e) => e.data)).toEqual([
      { postId: body.id, authorId: replier.id, createdAt: body.createdAt, replyToId: parent!.id, replyToUserId: author.id },
    ]);
    const { body: replies } = await readJson<PageBody>(await repliesOf(parent!.id));
    expect(replies.items.map((p) => p.id)).toEqual([body.id]);
  });

  it("moves the reply counts up and down with replies and their deletion, each reply with its own count", async () => {
    const [alice, bob, carol] = [await makeUser(), await makeUser(), await makeUser()];
    const root = await createPost({ authorId: alice.id, content: "root" });
    const r1 = await createPost({ authorId: bob.id, content: "r1", replyToId: root.id });
    const r2 = await createPost({ authorId: carol.id, content: "r2", replyToId: root.id });
    await createPost({ authorId: alice.id, content: "r1.1", replyToId: r1.id });
    const r12 = await createPost({ authorId: carol.id, content: "r1.2", replyToId: r1.id });
    expect((await getPost({ postId: root.id, viewerId: null })).replyCount).toBe(2);
    const page = await listReplies({ postId: root.id, viewerId: null, limit: 20 });
    expect(page.items.map((p) => [p.content, p.replyCount])).toEqual([
      ["r1", 2],
      ["r2", 0],
    ]);

    await deletePost({ postId: r12.id, userId: carol.id });
    await deletePost({ postId: r2.id, userId: carol.id });
    expect((await getPost({ postId: root.id, viewerId: null })).replyCount).toBe(1);
    expect((await getPost({ postId: r1.id, viewerId: null })).replyCount).toBe(1);
    expect((await listReplies({ postId: root.id, viewerId: null, limit: 20 })).items.map((p) => p.content)).toEqual(["r1"]);
  });

  it("is 404 not_found for a deleted or unknown parent, with nothing written", async () => {
    const author = await makeUser();
    const parent = await createPost({ authorId: author.id, content: "soon gone" });
    await deletePost({ postId: parent.id, userId: author.id });
    const replier = await logInAsNewUser();
    for (const replyToId of [parent.id, "987654321987"]) {
      const { status, body } = await readJson<ErrorBody>(await publish({ content: "too late", replyToId }));
      expect(status).toBe(404);
      expect(body.error.code).toBe("not_found");
    }
    expect((await postRow(parent.id))!.replyCount).toBe(0);
    const written = await getDb().select({ id: posts.id }).from(posts).where(eq(posts.authorId, replier.id));
    expect(written).toEqual([]);
    const bad = await readJson<ErrorBody>(await publish({ content: "x", replyToId: "12x" }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.replyToId).toBeTruthy();
  });

  it("is 404 for a replier the author blocked, or who blocked the author", async () => {
    const [author, blockedUser, blockingUser] = [await makeUser(), await makeUser(), await makeUser()];
    const parent = await createPost({ authorId: author.id, content: "not for you" });
    await getDb()
      .insert(blocks)
      .values([
        { blockerId: author.id, blockedId: blockedUser.id },
        { blockerId: blockingUser.id, blockedId: author.id },
      ]);
    for (const replier of [blockedUser, blockingUser]) {
      expect(await appErrorOf(createPost({ authorId: replier.id, content: "hi", replyToId: parent.id }))).toMatchObject({ status: 404, code: "not_found" });
    }
    logInAs(blockedUser);
    expect((await publish({ content: "hi", replyToId: parent.id })).status).toBe(404);
    expect((await postRow(parent.id))!.replyCount).toBe(0);
    // Everyone else still can.
    await createPost({ authorId: (await makeUser()).id, content: "hello", replyToId: parent.id });
    expect((await postRow(parent.id))!.replyCount).toBe(1);
  });
});
