// Reposts against the real Postgres and Redis, through lib/ and POST / DELETE
// /api/v1/posts/{id}/repost (only the session is faked): idempotence, the count equal to
// the rows under concurrency, 404s, repostedByMe on the Post, and the events sent.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { blocks, posts, reposts } from "@/db/schema";
import { deletePost } from "@/lib/posts/delete-post";
import type { PostDto } from "@/lib/posts/dto";
import { getPost } from "@/lib/posts/queries";
import { repostPost, undoRepost } from "@/lib/reactions/reposts";
import { DELETE as undoRoute, POST as repostRoute } from "@/app/api/v1/posts/[id]/repost/route";
import { GET as getPostRoute } from "@/app/api/v1/posts/[id]/route";
import { appErrorOf } from "../support/app-error";
import { sentEvents } from "../support/events";
import { type ErrorBody, apiRequest, makeUser, readJson, routeParams } from "../support/fixtures";
import { logInAs, logInAsNewUser } from "../support/session";
import { insertPosts, postRow } from "../posts/support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
});

const repost = (id: string) => repostRoute(apiRequest("POST", `/api/v1/posts/${id}/repost`), routeParams({ id }));
const undo = (id: string) => undoRoute(apiRequest("DELETE", `/api/v1/posts/${id}/repost`), routeParams({ id }));
const getOne = (id: string) => getPostRoute(apiRequest("GET", `/api/v1/posts/${id}`), routeParams({ id }));

async function aPost() {
  const author = await makeUser();
  const [post] = await insertPosts(author.id, [{ content: "repost me" }]);
  return { author, post: post! };
}

async function repostRows(postId: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(reposts)
    .where(eq(reposts.postId, postId));
  return row!.n;
}

/** posts.repost_count, checked against the rows. */
async function expectCountMatchesRows(postId: string): Promise<number> {
  const row = await postRow(postId);
  expect(row!.repostCount).toBe(await repostRows(postId));
  return row!.repostCount;
}

const eventsFor = async (name: string, postId: string) => (await sentEvents(name)).filter((e) => e.data.postId === postId);

describe("repostPost / undoRepost", () => {
  it("reposts and undoes idempotently, and the post shows it to the reposter only", async () => {
    const { post } = await aPost();
    const [fan, other] = [await makeUser(), await makeUser()];
    expect(await repostPost({ userId: fan.id, postId: post.id })).toEqual({ repostCount: 1, repostedByMe: true });
    expect(await repostPost({ userId: fan.id, postId: post.id })).toEqual({ repostCount: 1, repostedByMe: true });
    expect(await repostPost({ userId: other.id, postId: post.id })).toEqual({ repostCount: 2, repostedByMe: true });
    expect(await getPost({ postId: post.id, viewerId: fan.id })).toMatchObject({ repostCount: 2, repostedByMe: true });
    expect(await getPost({ postId: post.id, viewerId: null })).toMatchObject({ repostCount: 2, repostedByMe: false });
    expect(await expectCountMatchesRows(post.id)).toBe(2);

    expect(await undoRepost({ userId: fan.id, postId: post.id })).toEqual({ repostCount: 1, repostedByMe: false });
    expect(await undoRepost({ userId: fan.id, postId: post.id })).toEqual({ repostCount: 1, repostedByMe: false });
    expect(await getPost({ postId: post.id, viewerId: fan.id })).toMatchObject({ repostCount: 1, repostedByMe: false });
    expect(await expectCountMatchesRows(post.id)).toBe(1);
  });

  it("sends repost/created once per repost and repost/deleted once per undo, with the repost's time", async () => {
    const { post } = await aPost();
    const fan = await makeUser();
    await repostPost({ userId: fan.id, postId: post.id });
    await repostPost({ userId: fan.id, postId: post.id });
    const [row] = await getDb().select().from(reposts).where(eq(reposts.postId, post.id));
    const created = await eventsFor("repost/created", post.id);
    expect(created.map((e) => e.data)).toEqual([{ userId: fan.id, postId: post.id, t: row!.createdAt.getTime() }]);
    await undoRepost({ userId: fan.id, postId: post.id });
    await undoRepost({ userId: fan.id, postId: post.id });
    const deleted = await eventsFor("repost/deleted", post.id);
    expect(deleted.map((e) => e.data)).toEqual([{ userId: fan.id, postId: post.id, t: row!.createdAt.getTime() }]);
    expect(deleted[0]!.id).not.toBe(created[0]!.id);
  });

  it("counts 20 concurrent reposts by 20 users as 20, and 8 concurrent undos as 8", async () => {
    const { post } = await aPost();
    const fans = await Promise.all(Array.from({ length: 20 }, () => makeUser()));
    const results = await Promise.all(fans.map((fan) => repostPost({ userId: fan.id, postId: post.id })));
    expect(results.every((r) => r.repostedByMe)).toBe(true);
    // Each answer saw its own repost committed: the counts handed out are exactly 1..20.
    expect(results.map((r) => r.repostCount).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await expectCountMatchesRows(post.id)).toBe(20);
    await Promise.all(fans.slice(0, 8).map((fan) => undoRepost({ userId: fan.id, postId: post.id })));
    expect(await expectCountMatchesRows(post.id)).toBe(12);
    expect(await eventsFor("repost/created", post.id)).toHaveLength(20);
    expect(await eventsFor("repost/deleted", post.id)).toHaveLength(8);
  });

  it("keeps the count equal to the rows when one user reposts and undoes concurrently", async () => {
    const { post } = await aPost();
    const user = await makeUser();
    for (let round = 0; round < 10; round++) {
      await Promise.all([
        repostPost({ userId: user.id, postId: post.id }),
        undoRepost({ userId: user.id, postId: post.id }),
        repostPost({ userId: user.id, postId: post.id }),
      ]);
      expect([0, 1]).toContain(await expectCountMatchesRows(post.id));
    }
  });

  it("is 404 for deleted, unknown and blocked-from posts, 400 for a malformed id", async () => {
    const { author, post } = await aPost();
    const fan = await makeUser();
    await repostPost({ userId: fan.id, postId: post.id });
    await deletePost({ postId: post.id, userId: author.id });
    expect(await appErrorOf(repostPost({ userId: (await makeUser()).id, postId: post.id }))).toMatchObject({ status: 404, code: "not_found" });
    expect(await appErrorOf(undoRepost({ userId: fan.id, postId: post.id }))).toMatchObject({ status: 404 });
    expect(await appErrorOf(repostPost({ userId: fan.id, postId: "987654321987" }))).toMatchObject({ status: 404 });
    expect(await expectCountMatchesRows(post.id)).toBe(1);

    const { author: blocker, post: theirs } = await aPost();
    await getDb().insert(blocks).values({ blockerId: blocker.id, blockedId: fan.id });
    expect(await appErrorOf(repostPost({ userId: fan.id, postId: theirs.id }))).toMatchObject({ status: 404 });
    expect(await expectCountMatchesRows(theirs.id)).toBe(0);
    expect(await appErrorOf(repostPost({ userId: fan.id, postId: "1e3" }))).toMatchObject({ status: 400, fields: { id: "Not a valid post id." } });
  });
});

describe("/api/v1/posts/{id}/repost", () => {
  it("reposts and undoes idempotently, answering {repostCount, repostedByMe}, and GET /posts/{id} shows it", async () => {
    const { post } = await aPost();
    const fan = await logInAsNewUser();
    for (let i = 0; i < 2; i++) {
      const { status, body } = await readJson(await repost(post.id));
      expect(status).toBe(200);
      expect(body).toEqual({ repostCount: 1, repostedByMe: true });
    }
    expect((await readJson<PostDto>(await getOne(post.id))).body).toMatchObject({ repostCount: 1, repostedByMe: true });
    logInAs(null);
    expect((await readJson<PostDto>(await getOne(post.id))).body).toMatchObject({ repostCount: 1, repostedByMe: false });
    await logInAsNewUser();
    expect((await readJson<PostDto>(await getOne(post.id))).body).toMatchObject({ repostCount: 1, repostedByMe: false });

    logInAs(fan);
    for (let i = 0; i < 2; i++) {
      const { status, body } = await readJson(await undo(post.id));
      expect(status).toBe(200);
      expect(body).toEqual({ repostCount: 0, repostedByMe: false });
    }
    expect((await readJson<PostDto>(await getOne(post.id))).body).toMatchObject({ repostCount: 0, repostedByMe: false });
    expect(await eventsFor("repost/created", post.id)).toHaveLength(1);
    expect(await eventsFor("repost/deleted", post.id)).toHaveLength(1);
  });

  it("counts 20 users reposting at once through the API", async () => {
    const { post } = await aPost();
    const fans = await Promise.all(Array.from({ length: 20 }, () => makeUser()));
    // The session is read at the start of each call: log in, start the call, next.
    const calls = fans.map((fan) => {
      logInAs(fan);
      return repost(post.id);
    });
    const answers = await Promise.all(calls.map(async (c) => readJson<{ repostCount: number }>(await c)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.map((a) => a.body.repostCount).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await expectCountMatchesRows(post.id)).toBe(20);
  });

  it("is 401 logged out, 404 for a deleted or unknown post, 400 for a malformed id", async () => {
    const { post } = await aPost();
    expect((await repost(post.id)).status).toBe(401);
    expect((await undo(post.id)).status).toBe(401);
    await logInAsNewUser();
    const { status, body } = await readJson<ErrorBody>(await repost("987654321987"));
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, post.id));
    expect((await repost(post.id)).status).toBe(404);
    expect((await undo(post.id)).status).toBe(404);
    const bad = await readJson<ErrorBody>(await repost("12x"));
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ id: "Not a valid post id." });
    expect(await expectCountMatchesRows(post.id)).toBe(0);
  });
});
