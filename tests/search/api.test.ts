// GET /api/v1/search/users and /search/posts as Next.js calls them; only the session is faked.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db";
import { GET as searchPostsRoute } from "@/app/api/v1/search/posts/route";
import { GET as searchUsersRoute } from "@/app/api/v1/search/users/route";
import { apiRequest, makeUser, readJson, routeParams, suffix, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";
import { insertPosts } from "../posts/support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => logInAs(null));

const get = (route: typeof searchUsersRoute, path: string, params: Record<string, string>) =>
  route(apiRequest("GET", `${path}?${new URLSearchParams(params)}`), routeParams({}));

const routes = [
  ["/api/v1/search/users", searchUsersRoute],
  ["/api/v1/search/posts", searchPostsRoute],
] as const;

describe("GET /api/v1/search/*", () => {
  it.each(routes)("%s: a missing, blank, too long or NUL q is a 400 naming q; so is a bad limit or cursor", async (path, route) => {
    for (const params of [{} as Record<string, string>, { q: "" }, { q: "   " }, { q: "x".repeat(101) }, { q: "a\u0000b" }]) {
      const { status, body } = await readJson<ErrorBody>(await get(route, path, params));
      expect(status).toBe(400);
      expect(body.error.code).toBe("invalid_input");
      expect(Object.keys(body.error.fields!)).toEqual(["q"]);
    }
    // 100 characters as a person counts them (here 100 CJK characters) is fine.
    expect((await get(route, path, { q: "字".repeat(100) })).status).toBe(200);
    expect((await readJson<ErrorBody>(await get(route, path, { q: "ok", limit: "0" }))).body.error.fields).toEqual({ limit: "limit must be between 1 and 100." });
    const bad = await readJson<ErrorBody>(await get(route, path, { q: "ok", cursor: "not a cursor" }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_cursor");
  });

  it("pages people and posts as {items, nextCursor}", async () => {
    const t = `s${suffix()}`.replace(/\d/g, (d) => "ghijklmnop"[Number(d)]!);
    const [a, b] = [await makeUser({ username: `${t}_a` }), await makeUser({ username: `${t}_bb` })];
    const viewer = await makeUser();
    logInAs(viewer);
    const first = await readJson<{ items: Array<{ id: string; followedByMe?: boolean }>; nextCursor: string | null }>(
      await get(searchUsersRoute, "/api/v1/search/users", { q: `@${t}`, limit: "1" }),
    );
    expect(first.status).toBe(200);
    expect(first.body.items.map((u) => u.id)).toEqual([a.id]);
    expect(first.body.items[0]!.followedByMe).toBe(false);
    const second = await readJson<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      await get(searchUsersRoute, "/api/v1/search/users", { q: `@${t}`, limit: "1", cursor: first.body.nextCursor! }),
    );
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: b.id })], nextCursor: null });

    const [older, newer] = await insertPosts(a.id, [
      { content: `#${t} older`, createdAt: new Date(Date.now() - 2000) },
      { content: `#${t} newer`, createdAt: new Date(Date.now() - 1000) },
    ]);
    const posts = await readJson<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      await get(searchPostsRoute, "/api/v1/search/posts", { q: `#${t}` }),
    );
    expect(posts.status).toBe(200);
    expect(posts.body).toEqual({ items: [expect.objectContaining({ id: newer!.id }), expect.objectContaining({ id: older!.id })], nextCursor: null });
  });
});
