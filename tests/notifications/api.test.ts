// GET /api/v1/notifications, GET …/unread and POST …/read, called as Next.js would call
// them (only the session is faked), over notifications made by the real background
// functions or, where exact times matter, written straight to the table.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb, getSql } from "@/db";
import { GET as listRoute } from "@/app/api/v1/notifications/route";
import { POST as readRoute } from "@/app/api/v1/notifications/read/route";
import { GET as unreadRoute } from "@/app/api/v1/notifications/unread/route";
import type { NotificationDto } from "@/lib/notifications/queries";
import { createPost } from "@/lib/posts/create-post";
import { likePost } from "@/lib/reactions/likes";
import { type ErrorBody, apiRequest, makeUsers, readJson, routeParams } from "../support/fixtures";
import { logInAs } from "../support/session";
import { feedEngineForFile } from "../feed/support/engine";
import { mute } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();
afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
});

interface PageBody {
  items: NotificationDto[];
  nextCursor: string | null;
}

const list = (query = "") => listRoute(apiRequest("GET", `/api/v1/notifications${query}`), routeParams({}));
const unread = async () => (await readJson<{ count: number }>(await unreadRoute(apiRequest("GET", "/api/v1/notifications/unread"), routeParams({})))).body.count;
const read = (json?: unknown) => readRoute(apiRequest("POST", "/api/v1/notifications/read", { json }), routeParams({}));

/** `n` follow notifications for `recipient` from `n` new users, at the given times (ms). */
async function follows(recipientId: string, times: number[]): Promise<string[]> {
  const actors = await makeUsers(times.length, "actor");
  const ids: string[] = [];
  for (const [i, t] of times.entries()) {
    const [row] = await getSql()<[{ id: string }]>`
      insert into notifications (recipient_id, type, actor_id, created_at)
      values (${recipientId}, 'follow', ${actors[i]!.id}, ${new Date(t).toISOString()}::timestamptz) returning id::text as id`;
    ids.push(row.id);
  }
  return ids;
}

async function readAll(limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const res: Response = await list(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    const { status, body } = await readJson<PageBody>(res);
    expect(status).toBe(200);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...body.items.map((n) => n.id));
    cursor = body.nextCursor;
    if (!cursor) return seen;
    expect(body.items).toHaveLength(limit);
  }
  throw new Error("paging did not end");
}

describe("/api/v1/notifications", () => {
  it("is 401 logged out, for every endpoint", async () => {
    for (const res of [await list(), await unreadRoute(apiRequest("GET", "/api/v1/notifications/unread"), routeParams({})), await read({})]) {
      const { status, body } = await readJson<ErrorBody>(res);
      expect(status).toBe(401);
      expect(body.error.code).toBe("unauthenticated");
    }
  });

  it("lists what the background functions made, in the API's shape", async () => {
    const [ana, bob] = await makeUsers(2, "shape");
    const post = await createPost({ authorId: ana!.id, content: "like this" });
    await likePost({ userId: bob!.id, postId: post.id });
    await engine.settle();
    logInAs(ana!);
    const { status, body } = await readJson<PageBody>(await list());
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    expect(body.items).toEqual([
      {
        id: expect.stringMatching(/^\d+$/),
        type: "like",
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        actor: { id: bob!.id, username: bob!.username, displayName: bob!.displayName, avatarUrl: null },
        post: expect.objectContaining({ id: post.id, content: "like this", likeCount: 1, author: expect.objectContaining({ id: ana!.id }) }),
        read: false,
      },
    ]);
  });

  it("pages newest first through the cursor, exactly, ties included, while items are added and withdrawn", async () => {
    const [ana] = await makeUsers(1, "pager");
    const base = Date.parse("2024-05-01T12:00:00.000Z");
    // Three share a time: the id breaks the tie.
    const ids = await follows(ana!.id, [base, base + 1000, base + 1000, base + 1000, base + 2000, base + 3000, base + 4000]);
    logInAs(ana!);
    const expected = [ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]];
    expect(await readAll(3)).toEqual(expected);
    expect(await readAll(7)).toEqual(expected);
    expect(await readAll(100)).toEqual(expected);

    // Page 1 read; then a newer one arrives and one on page 2 is withdrawn.
    const first = (await readJson<PageBody>(await list("?limit=3"))).body;
    expect(first.items.map((n) => n.id)).toEqual(expected.slice(0, 3));
    await follows(ana!.id, [base + 5000]);
    await getSql()`delete from notifications where id = ${ids[2]!}`;
    const second = (await readJson<PageBody>(await list(`?limit=3&cursor=${first.nextCursor}`))).body;
    expect(second.items.map((n) => n.id)).toEqual([ids[3], ids[1], ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it("leaves out a muted actor's notifications without short pages", async () => {
    const [ana] = await makeUsers(1, "mutepage");
    const base = Date.parse("2024-06-01T00:00:00.000Z");
    const ids = await follows(ana!.id, [base, base + 1, base + 2, base + 3, base + 4]);
    const [hidden] = await getSql()<[{ actor: string }]>`select actor_id::text as actor from notifications where id = ${ids[3]!}`;
    await mute(ana!.id, hidden.actor);
    logInAs(ana!);
    expect(await readAll(2)).toEqual([ids[4], ids[2], ids[1], ids[0]]);
    expect(await unread()).toBe(4);
  });

  it("is 400 for a malformed cursor or limit", async () => {
    const [ana] = await makeUsers(1, "badq");
    logInAs(ana!);
    for (const query of ["?cursor=nope", "?cursor=%%%", `?cursor=${Buffer.from("1.x").toString("base64url")}`, "?limit=0", "?limit=101", "?limit=abc"]) {
      const { status, body } = await readJson<ErrorBody>(await list(query));
      expect(status, query).toBe(400);
      expect(body.error.code, query).toMatch(/^invalid_/);
    }
  });
});

describe("unread count and marking read", () => {
  it("counts unread, marks read up to and including an id, then all", async () => {
    const [ana] = await makeUsers(1, "mark");
    const base = Date.parse("2024-07-01T00:00:00.000Z");
    const ids = await follows(ana!.id, [base, base + 1, base + 2, base + 3, base + 4]);
    logInAs(ana!);
    expect(await unread()).toBe(5);

    const up = await readJson<{ count: number }>(await read({ upToId: ids[2] }));
    expect(up).toEqual({ status: 200, body: { count: 2 } });
    expect(await unread()).toBe(2);
    const page = (await readJson<PageBody>(await list())).body;
    expect(page.items.map((n) => [n.id, n.read])).toEqual([
      [ids[4], false],
      [ids[3], false],
      [ids[2], true],
      [ids[1], true],
      [ids[0], true],
    ]);

    expect((await readJson(await read({}))).body).toEqual({ count: 0 });
    expect(await unread()).toBe(0);
    // Someone else's are untouched.
    const [bob] = await makeUsers(1, "other");
    await follows(bob!.id, [base]);
    logInAs(bob!);
    expect(await unread()).toBe(1);
  });

  it("is 400 for a malformed upToId or body", async () => {
    const [ana] = await makeUsers(1, "badread");
    await follows(ana!.id, [Date.now()]);
    logInAs(ana!);
    for (const upToId of ["abc", "-1", "1.5", 7, "99999999999999999999"]) {
      const { status, body } = await readJson<ErrorBody>(await read({ upToId }));
      expect(status, String(upToId)).toBe(400);
      expect(body.error.fields).toHaveProperty("upToId");
    }
    expect((await readRoute(apiRequest("POST", "/api/v1/notifications/read", { raw: "{" }), routeParams({}))).status).toBe(400);
    expect(await unread()).toBe(1);
  });
});
