// The public timeline: lib/timelines/public.ts and GET /api/v1/timelines/public — every
// live top-level post and every repost of a live post, each its own item, newest first;
// paging by cursor never repeats or skips an item, even among equal timestamps; authors
// who blocked the viewer (and those the viewer blocked) are not shown to them.
//
// Each test writes its items in its own window of time far in the future, above every
// earlier test's (and every post other tests make "now"), so its items are the newest.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { blocks, posts, reposts, type User } from "@/db/schema";
import { GET as publicRoute } from "@/app/api/v1/timelines/public/route";
import type { Page } from "@/lib/cursor";
import type { FeedItemDto } from "@/lib/feed/feed-item";
import { getPublicTimeline } from "@/lib/timelines/public";
import { apiRequest, makeUser, makeUsers, readJson, routeParams, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";
import { appErrorOf } from "../support/app-error";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => logInAs(null));

let windowStart = Date.parse("2300-01-01T00:00:00.000Z");
/** A fresh window of time above every earlier test's; returns its start (ms). */
function newWindow(): number {
  windowStart += 1_000_000_000;
  return windowStart;
}

async function post(author: User, t: number, extra: Partial<typeof posts.$inferInsert> = {}): Promise<string> {
  const [row] = await getDb()
    .insert(posts)
    .values({ authorId: author.id, content: `at ${t}`, createdAt: new Date(t), ...extra })
    .returning({ id: posts.id });
  return row!.id;
}

async function repost(user: User, postId: string, t: number) {
  await getDb().insert(reposts).values({ userId: user.id, postId, createdAt: new Date(t) });
}

/** An item as a comparable key: which post, by whom (or its publication), when. */
const key = (item: FeedItemDto) => `${item.id}/${item.reason ? item.reason.by.id : "pub"}@${Date.parse(item.reason?.at ?? item.createdAt)}`;

interface Expected {
  postId: string;
  by: string | null;
  t: number;
}

/** Newest first; equal times by post id, then reposter id (the publication after its reposts), descending. */
function order(items: Expected[]): string[] {
  const big = (s: string | null) => BigInt(s ?? "0");
  return [...items]
    .sort((a, b) => b.t - a.t || (big(b.postId) > big(a.postId) ? 1 : big(b.postId) < big(a.postId) ? -1 : 0) || (big(b.by) > big(a.by) ? 1 : -1))
    .map((e) => `${e.postId}/${e.by ?? "pub"}@${e.t}`);
}

/** Pages from the top until an item older than `since` (or the end), collecting the items at or after it. */
async function readSince(since: number, read: (cursor: string | null) => Promise<Page<FeedItemDto>>) {
  const items: FeedItemDto[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 200; pages++) {
    const page = await read(cursor);
    const inWindow = page.items.filter((i) => Date.parse(i.reason?.at ?? i.createdAt) >= since);
    items.push(...inWindow);
    if (inWindow.length < page.items.length || !page.nextCursor) return items;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

describe("getPublicTimeline", () => {
  it("lists each top-level post and each repost newest first, paging exactly through equal timestamps", async () => {
    const T = newWindow();
    const [alice, bob, carol] = await makeUsers(3, "pt");
    const p1 = await post(alice!, T);
    const p2 = await post(alice!, T);
    const p3 = await post(bob!, T + 1);
    const reply = await post(bob!, T + 2, { replyToId: p1, replyToUserId: alice!.id });
    const gone = await post(carol!, T + 3, { deletedAt: new Date(T + 4) });
    await repost(bob!, p1, T + 1);
    await repost(carol!, p1, T + 1);
    // Reposted in the very millisecond it was published: the repost comes first, then the post.
    await repost(carol!, p3, T + 1);
    await repost(carol!, p2, T + 5);
    await repost(bob!, gone, T + 6);
    await repost(alice!, reply, T + 7);

    const expected = order([
      { postId: p1, by: null, t: T },
      { postId: p2, by: null, t: T },
      { postId: p3, by: null, t: T + 1 },
      { postId: p1, by: bob!.id, t: T + 1 },
      { postId: p1, by: carol!.id, t: T + 1 },
      { postId: p3, by: carol!.id, t: T + 1 },
      { postId: p2, by: carol!.id, t: T + 5 },
      // A reply is not on the timeline, but a repost of one is: it is its reposter's own.
      { postId: reply, by: alice!.id, t: T + 7 },
    ]);

    for (const limit of [1, 2, 3, 100]) {
      const items = await readSince(T, (cursor) => getPublicTimeline({ viewerId: null, cursor, limit }));
      expect(items.map(key), `limit ${limit}`).toEqual(expected);
    }

    const first = (await getPublicTimeline({ viewerId: null, limit: 1 })).items[0]!;
    expect(first).toMatchObject({ id: reply, reason: { type: "repost", by: { id: alice!.id, username: alice!.username }, at: new Date(T + 7).toISOString() } });
    expect(first.replyTo).toMatchObject({ id: p1 });
    const [publication] = (await readSince(T, (cursor) => getPublicTimeline({ viewerId: null, cursor, limit: 20 }))).filter((i) => i.id === p3 && !i.reason);
    expect(publication).toMatchObject({ id: p3, reason: null, likedByMe: false, repostedByMe: false, createdAt: new Date(T + 1).toISOString() });
  });

  it("keeps a cursor valid while items are added and deleted: no repeats, no skips", async () => {
    const T = newWindow();
    const [author, reposter] = await makeUsers(2, "pc");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await post(author!, T + Math.floor(i / 2)));
    await repost(reposter!, ids[0]!, T + 2);

    const page1 = await getPublicTimeline({ viewerId: null, limit: 3 });
    // Meanwhile: a newer post, a newer repost, and an item of page 1 deleted.
    await post(author!, T + 100);
    await repost(reposter!, ids[1]!, T + 101);
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, page1.items[0]!.id));

    const rest = await readSince(T, (cursor) => getPublicTimeline({ viewerId: null, cursor: cursor ?? page1.nextCursor, limit: 2 }));
    const all = [...page1.items, ...rest].map(key);
    expect(all).toEqual(
      order([
        ...ids.map((id, i) => ({ postId: id, by: null, t: T + Math.floor(i / 2) })),
        { postId: ids[0]!, by: reposter!.id, t: T + 2 },
      ]),
    );
  });

  it("hides the posts and reposts of someone who blocked the viewer, and of someone the viewer blocked", async () => {
    const T = newWindow();
    const [viewer, blocker, blocked, other] = await makeUsers(4, "pb");
    const byBlocker = await post(blocker!, T);
    const byBlocked = await post(blocked!, T + 1);
    const byOther = await post(other!, T + 2);
    await repost(other!, byBlocker, T + 3);
    await repost(blocker!, byOther, T + 4);
    await repost(blocked!, byOther, T + 5);
    await getDb()
      .insert(blocks)
      .values([
        { blockerId: blocker!.id, blockedId: viewer!.id },
        { blockerId: viewer!.id, blockedId: blocked!.id },
      ]);

    const everything = order([
      { postId: byBlocker, by: null, t: T },
      { postId: byBlocked, by: null, t: T + 1 },
      { postId: byOther, by: null, t: T + 2 },
      { postId: byBlocker, by: other!.id, t: T + 3 },
      { postId: byOther, by: blocker!.id, t: T + 4 },
      { postId: byOther, by: blocked!.id, t: T + 5 },
    ]);
    const read = (viewerId: string | null) => readSince(T, (cursor) => getPublicTimeline({ viewerId, cursor, limit: 2 }));
    expect((await read(null)).map(key)).toEqual(everything);
    expect((await read(other!.id)).map(key)).toEqual(everything);
    expect((await read(viewer!.id)).map(key)).toEqual(order([{ postId: byOther, by: null, t: T + 2 }]));
  });

  it("refuses a malformed cursor", async () => {
    for (const cursor of ["nope", "!!!", Buffer.from("1.2").toString("base64url"), Buffer.from("1.2.x").toString("base64url"), Buffer.from("1.99999999999999999999.0").toString("base64url")]) {
      const error = await appErrorOf(getPublicTimeline({ viewerId: null, cursor, limit: 20 }));
      expect(error.status, cursor).toBe(400);
      expect(error.code).toBe("invalid_cursor");
    }
  });
});

describe("GET /api/v1/timelines/public", () => {
  const call = (query = "") => publicRoute(apiRequest("GET", `/api/v1/timelines/public${query}`), routeParams({}));

  it("is open to anyone and pages with nextCursor", async () => {
    const T = newWindow();
    const author = await makeUser();
    const [a, b, c] = [await post(author, T), await post(author, T + 1), await post(author, T + 2)];
    const first = await readJson<Page<FeedItemDto>>(await call("?limit=2"));
    expect(first.status).toBe(200);
    expect(first.body.items.map((i) => i.id)).toEqual([c, b]);
    expect(first.body.items[0]!.reason).toBeNull();
    const second = await readJson<Page<FeedItemDto>>(await call(`?limit=2&cursor=${first.body.nextCursor}`));
    expect(second.body.items[0]!.id).toBe(a);

    logInAs(await makeUser());
    const loggedIn = await readJson<Page<FeedItemDto>>(await call("?limit=1"));
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body.items.map((i) => i.id)).toEqual([c]);
  });

  it("answers 400 for a bad cursor or a limit outside 1–100", async () => {
    const bad = await readJson<ErrorBody>(await call("?cursor=garbage"));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_cursor");
    for (const limit of ["0", "101", "x"]) {
      const res = await readJson<ErrorBody>(await call(`?limit=${limit}`));
      expect(res.status, limit).toBe(400);
      expect(res.body.error.fields?.limit).toBeTruthy();
    }
    expect((await call("?limit=100")).status).toBe(200);
    const byDefault = await readJson<Page<FeedItemDto>>(await call());
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.items.length).toBeLessThanOrEqual(20);
  });
});
