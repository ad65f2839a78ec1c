// The posts endpoints of api-v1.md, called as Next.js would call them. The session is
// the one thing faked: getCurrentUser() returns whoever the test says is logged in.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db";
import { likePost } from "@/lib/reactions/likes";
import type { PostDto } from "@/lib/posts/dto";
import { enforceRateLimit } from "@/lib/rate-limit";
import { POST as createPostRoute } from "@/app/api/v1/posts/route";
import { DELETE as deletePostRoute, GET as getPostRoute } from "@/app/api/v1/posts/[id]/route";
import { GET as userPostsRoute } from "@/app/api/v1/users/[username]/posts/route";
import { sentEvents, UUID } from "../support/events";
import { type ErrorBody, apiRequest, makeUser, readJson, routeParams } from "../support/fixtures";
import { logInAs, logInAsNewUser } from "../support/session";
import { insertPosts, postRow, postsCount, rateLimitOf } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
});

const publish = (body: { json?: unknown; raw?: string; headers?: Record<string, string> }) =>
  createPostRoute(apiRequest("POST", "/api/v1/posts", body), routeParams({}));
const getOne = (id: string) => getPostRoute(apiRequest("GET", `/api/v1/posts/${id}`), routeParams({ id }));
const remove = (id: string) => deletePostRoute(apiRequest("DELETE", `/api/v1/posts/${id}`), routeParams({ id }));
const listOf = (username: string, search = "") =>
  userPostsRoute(apiRequest("GET", `/api/v1/users/${username}/posts${search}`), routeParams({ username }));

describe("POST /api/v1/posts", () => {
  it("publishes: 201 with the Post, and post/created is sent under its outbox row's id", async () => {
    const user = await logInAsNewUser();
    const { status, body } = await readJson<PostDto>(await publish({ json: { content: "first post" } }));
    expect(status).toBe(201);
    expect(body).toMatchObject({
      author: { id: user.id, username: user.username, displayName: user.displayName },
      content: "first post",
      likeCount: 0,
      replyCount: 0,
      repostCount: 0,
      likedByMe: false,
    });
    expect(body.id).toMatch(/^\d+$/);
    const events = (await sentEvents("post/created")).filter((e) => e.data.postId === body.id);
    expect(events.map((e) => [e.id, e.data])).toEqual([[expect.stringMatching(UUID), { postId: body.id, authorId: user.id, createdAt: body.createdAt }]]);
    expect(await postsCount(user.id)).toBe(1);
  });

  it("takes 280 characters as a person counts them (emoji families, CJK) and refuses 281 with fields.content", async () => {
    await logInAsNewUser();
    for (const content of ["👨‍👩‍👧".repeat(280), "漢".repeat(280), "한국어".repeat(93) + "!"]) {
      const { status, body } = await readJson<PostDto>(await publish({ json: { content } }));
      expect(status).toBe(201);
      expect(body.content).toBe(content);
    }
    for (const content of ["👨‍👩‍👧".repeat(281), "漢".repeat(281)]) {
      const { status, body } = await readJson<ErrorBody>(await publish({ json: { content } }));
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: "invalid_input", fields: { content: "Posts can be at most 280 characters." } });
    }
  });

  it("refuses empty, whitespace-only, missing and non-string content with 400 fields.content", async () => {
    const user = await logInAsNewUser();
    for (const json of [{ content: "" }, { content: "  \n " }, {}, { content: 42 }, { content: null }]) {
      const { status, body } = await readJson<ErrorBody>(await publish({ json }));
      expect(status).toBe(400);
      expect(body.error.code).toBe("invalid_input");
      expect(body.error.fields?.content).toBeTruthy();
    }
    expect(await postsCount(user.id)).toBe(0);
  });

  it("answers malformed JSON, the wrong content type, a non-object body and an empty body with 400", async () => {
    await logInAsNewUser();
    const cases: Array<[Parameters<typeof publish>[0], string]> = [
      [{ raw: '{"content": "unterminated' }, "invalid_json"],
      [{ raw: "" }, "invalid_json"],
      [{ raw: "content=hello", headers: { "content-type": "application/x-www-form-urlencoded" } }, "unsupported_content_type"],
      [{ raw: '{"content":"hi"}', headers: { "content-type": "text/plain" } }, "unsupported_content_type"],
      [{ json: ["hello"] }, "invalid_input"],
    ];
    for (const [request, code] of cases) {
      const { status, body } = await readJson<ErrorBody>(await publish(request));
      expect(status, code).toBe(400);
      expect(body.error.code).toBe(code);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/); // no stack trace
    }
  });

  it("answers a body over 16 KB with 413, whether or not Content-Length says so", async () => {
    const user = await logInAsNewUser();
    const big = JSON.stringify({ content: "a".repeat(17 * 1024) });
    const { status, body } = await readJson<ErrorBody>(await publish({ raw: big }));
    expect(status).toBe(413);
    expect(body.error.code).toBe("body_too_large");
    expect((await publish({ raw: big, headers: { "content-length": String(big.length) } })).status).toBe(413);
    expect(await postsCount(user.id)).toBe(0);
  });

  it("is 401 when logged out", async () => {
    const { status, body } = await readJson<ErrorBody>(await publish({ json: { content: "anonymous" } }));
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthenticated");
  });

  it("is 403 for a cross-site browser request", async () => {
    await logInAsNewUser();
    const { status } = await readJson(await publish({ json: { content: "forged" }, headers: { origin: "https://evil.example" } }));
    expect(status).toBe(403);
  });

  it("is 429 with Retry-After past the posting rate limit", async () => {
    const user = await logInAsNewUser();
    // Use up this author's allowance (the limiter is the real one, in Redis).
    for (let i = 0; i < rateLimitOf(30); i++) await enforceRateLimit("post", user.id);
    const res = await publish({ json: { content: "one too many" } });
    const { status, body } = await readJson<ErrorBody>(res);
    expect(status).toBe(429);
    expect(body.error.code).toBe("rate_limited");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await postsCount(user.id)).toBe(0);
  });
});

describe("GET /api/v1/posts/{id}", () => {
  it("returns the Post to anyone, with likedByMe false when logged out", async () => {
    const author = await makeUser();
    const [row] = await insertPosts(author.id, [{ content: "public" }]);
    const { status, body } = await readJson<PostDto>(await getOne(row!.id));
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: row!.id, content: "public", likedByMe: false, author: { username: author.username } });
  });

  it("is 404 for an unknown post and 400 for a non-numeric id", async () => {
    expect((await getOne("987654321987")).status).toBe(404);
    const { status, body } = await readJson<ErrorBody>(await getOne("abc"));
    expect(status).toBe(400);
    expect(body.error.fields).toEqual({ id: "Not a valid post id." });
    expect((await getOne("99999999999999999999")).status).toBe(400);
  });
});

describe("DELETE /api/v1/posts/{id}", () => {
  it("deletes your own post: 204, then 404 on GET and on a second DELETE, gone from the profile", async () => {
    const user = await logInAsNewUser();
    const { body: post } = await readJson<PostDto>(await publish({ json: { content: "regret" } }));
    const res = await remove(post.id);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect((await postRow(post.id))!.deletedAt).not.toBeNull();
    expect((await getOne(post.id)).status).toBe(404);
    expect((await remove(post.id)).status).toBe(404);
    const { body: list } = await readJson<{ items: PostDto[] }>(await listOf(user.username));
    expect(list.items.map((p) => p.id)).not.toContain(post.id);
    expect((await sentEvents("post/deleted")).filter((e) => e.data.postId === post.id)).toHaveLength(1);
  });

  it("is 403 for someone else's post, 404 for an unknown one, 401 when logged out", async () => {
    const author = await makeUser();
    const [row] = await insertPosts(author.id, [{ content: "not yours" }]);
    await logInAsNewUser();
    const { status, body } = await readJson<ErrorBody>(await remove(row!.id));
    expect(status).toBe(403);
    expect(body.error.code).toBe("forbidden");
    expect((await postRow(row!.id))!.deletedAt).toBeNull();
    expect((await remove("987654321987")).status).toBe(404);
    logInAs(null);
    expect((await remove(row!.id)).status).toBe(401);
  });
});

describe("GET /api/v1/users/{username}/posts", () => {
  it("pages with limit and cursor: every post once, newest first, nextCursor null at the end", async () => {
    const author = await makeUser();
    const at = new Date("2026-02-01T00:00:00.000Z");
    // 25 posts, 10 of them in one millisecond.
    await insertPosts(author.id, Array.from({ length: 25 }, (_, i) => ({ content: `p${i}`, createdAt: i < 10 ? at : new Date(at.getTime() + i) })));
    const seen: string[] = [];
    let search = "?limit=10";
    const sizes: number[] = [];
    for (;;) {
      const { status, body } = await readJson<{ items: PostDto[]; nextCursor: string | null }>(await listOf(author.username, search));
      expect(status).toBe(200);
      sizes.push(body.items.length);
      seen.push(...body.items.map((p) => p.id));
      if (!body.nextCursor) break;
      search = `?limit=10&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(new Set(seen).size).toBe(25);
    const times = await Promise.all(seen.map(async (id) => (await postRow(id))!.createdAt.getTime()));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("defaults to 20 items and works logged out", async () => {
    const author = await makeUser();
    await insertPosts(author.id, Array.from({ length: 21 }, () => ({})));
    const { status, body } = await readJson<{ items: PostDto[]; nextCursor: string | null }>(await listOf(author.username));
    expect(status).toBe(200);
    expect(body.items).toHaveLength(20);
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it("is 400 for a bad limit or a malformed cursor, 404 for an unknown user", async () => {
    const author = await makeUser();
    for (const limit of ["0", "101", "abc", "-5", "2.5", ""]) {
      const { status, body } = await readJson<ErrorBody>(await listOf(author.username, `?limit=${limit}`));
      expect(status, `limit=${limit}`).toBe(400);
      expect(body.error.fields?.limit).toBeTruthy();
    }
    for (const cursor of ["garbage!", "Zm9vYmFy", ""]) {
      const res = await listOf(author.username, `?cursor=${encodeURIComponent(cursor)}`);
      // An empty cursor means "first page".
      if (cursor === "") expect(res.status).toBe(200);
      else {
        const { status, body } = await readJson<ErrorBody>(res);
        expect(status).toBe(400);
        expect(body.error.code).toBe("invalid_cursor");
      }
    }
    const { status, body } = await readJson<ErrorBody>(await listOf("no_such_user_zz"));
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
  });

  it("marks likedByMe for the logged-in viewer", async () => {
    const author = await makeUser();
    await insertPosts(author.id, [{ content: "likeable" }]);
    const viewer = await logInAsNewUser();
    const { body: before } = await readJson<{ items: PostDto[] }>(await listOf(author.username));
    expect(before.items[0]!.likedByMe).toBe(false);
    await likePost({ userId: viewer.id, postId: before.items[0]!.id });
    const { body: after } = await readJson<{ items: PostDto[] }>(await listOf(author.username));
    expect(after.items[0]).toMatchObject({ likedByMe: true, likeCount: 1 });
  });
});
