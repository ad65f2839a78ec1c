// POST / DELETE /api/v1/posts/{id}/like, called as Next.js would call them; only the
// session is faked.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { posts } from "@/db/schema";
import { enforceRateLimit } from "@/lib/rate-limit";
import { DELETE as unlikeRoute, POST as likeRoute } from "@/app/api/v1/posts/[id]/like/route";
import { type ErrorBody, apiRequest, makeUser, readJson, routeParams } from "../support/fixtures";
import { logInAs, logInAsNewUser } from "../support/session";
import { insertPosts, likeRows, postRow, rateLimitOf } from "../posts/support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
});

async function aPost() {
  const author = await makeUser();
  const [post] = await insertPosts(author.id, [{ content: "like me" }]);
  return post!;
}

const like = (id: string) => likeRoute(apiRequest("POST", `/api/v1/posts/${id}/like`), routeParams({ id }));
const unlike = (id: string) => unlikeRoute(apiRequest("DELETE", `/api/v1/posts/${id}/like`), routeParams({ id }));

describe("/api/v1/posts/{id}/like", () => {
  it("likes and unlikes, idempotently, answering {likeCount, likedByMe}", async () => {
    const post = await aPost();
    await logInAsNewUser();
    for (let i = 0; i < 2; i++) {
      const { status, body } = await readJson(await like(post.id));
      expect(status).toBe(200);
      expect(body).toEqual({ likeCount: 1, likedByMe: true });
    }
    for (let i = 0; i < 2; i++) {
      const { status, body } = await readJson(await unlike(post.id));
      expect(status).toBe(200);
      expect(body).toEqual({ likeCount: 0, likedByMe: false });
    }
    expect((await postRow(post.id))!.likeCount).toBe(await likeRows(post.id));
  });

  it("is 401 logged out, 404 for an unknown post, 400 for a malformed id", async () => {
    const post = await aPost();
    expect((await like(post.id)).status).toBe(401);
    expect((await unlike(post.id)).status).toBe(401);
    await logInAsNewUser();
    const { status, body } = await readJson<ErrorBody>(await like("987654321987"));
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
    expect((await unlike("987654321987")).status).toBe(404);
    const bad = await readJson<ErrorBody>(await like("12x"));
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ id: "Not a valid post id." });
  });

  it("is 404 once the post is deleted", async () => {
    const post = await aPost();
    await logInAsNewUser();
    await like(post.id);
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, post.id));
    expect((await like(post.id)).status).toBe(404);
    expect((await unlike(post.id)).status).toBe(404);
  });

  it("is 429 with Retry-After past the like rate limit", async () => {
    const post = await aPost();
    const user = await logInAsNewUser();
    for (let i = 0; i < rateLimitOf(120); i++) await enforceRateLimit("like", user.id);
    const res = await like(post.id);
    const { status, body } = await readJson<ErrorBody>(res);
    expect(status).toBe(429);
    expect(body.error.code).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await postRow(post.id))!.likeCount).toBe(0);
  });
});
