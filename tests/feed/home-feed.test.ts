// The home feed end to end in lib code: posts, follows and flags go through the app's
// functions and the real Inngest route; feeds are read with getHomeFeed and compared with
// the SQL ground truth.
import { describe, expect, it, vi } from "vitest";
import { GET as feedRoute } from "@/app/api/v1/feed/route";
import { GET as newPostsRoute } from "@/app/api/v1/feed/new/route";
import { flagSuperstar } from "@/lib/admin/superstars";
import { encodeCursor } from "@/lib/cursor";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { countNewerPosts, getHomeFeed } from "@/lib/feed/home-feed";
import { feedPosition as positionOf } from "@/lib/feed/feed-item";
import { getFeedStats } from "@/lib/feed/stats";
import { deleteTimeline, listKey, outboxRef, pushToTimelines, readTimeline, timelineKey } from "@/lib/feed/timeline-store";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import { getRedis } from "@/lib/redis";
import { apiRequest, makeUser, makeUsers, readJson, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";
import { insertPosts } from "../posts/support";
import { groundTruth, feedEngineForFile, withEnv } from "./support/engine";
import { readWholeFeed } from "./support/read";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();

const post = (authorId: string, content = "hello") => createPost({ authorId, content });

describe("fan-out on write", () => {
  it("pushes a post into active followers' timelines only; others get it when they come back", async () => {
    const [author, online, offline] = await makeUsers(3, "fo");
    for (const f of [online!, offline!]) await followUser({ followerId: f.id, username: author!.username });
    await engine.settle();
    await getHomeFeed({ viewerId: online!.id, limit: 5 }); // builds online's timeline, marks them active

    const p = await post(author!.id);
    await engine.settle();
    const cached = await readTimeline({ userId: online!.id, limit: 5 });
    expect(cached.state === "cached" && cached.entries.map((e) => e.id)).toContain(p.id);
    expect(await readTimeline({ userId: offline!.id, limit: 5 })).toEqual({ state: "missing" });

    // The offline follower's first read rebuilds their timeline, post included.
    expect((await getHomeFeed({ viewerId: offline!.id, limit: 5 })).items.map((i) => i.id)).toEqual([p.id]);
    const stats = await getFeedStats();
    expect(stats.fanout.samples).toBeGreaterThan(0);
    expect(stats.fanout.maxMs).not.toBeNull();
  });

  it("shows authors their own post at once, before any background work", async () => {
    const [author] = await makeUsers(1, "own");
    await getHomeFeed({ viewerId: author!.id, limit: 5 });
    const p = await post(author!.id);
    // No settle: createPost wrote the author's own timeline itself.
    expect((await getHomeFeed({ viewerId: author!.id, limit: 5 })).items[0]?.id).toBe(p.id);
    await engine.settle();
  });

  it("removes a deleted post, and never serves one even while it is still cached", async () => {
    const [author, reader] = await makeUsers(2, "del");
    await followUser({ followerId: reader!.id, username: author!.username });
    const [kept, gone] = [await post(author!.id, "kept"), await post(author!.id, "gone")];
    await engine.settle();
    await getHomeFeed({ viewerId: reader!.id, limit: 5 });
    await deletePost({ postId: gone.id, userId: author!.id });
    // Put it back as a removal that has not happened yet would leave it.
    await pushToTimelines({ userIds: [reader!.id], entries: [{ id: gone.id, t: Date.parse(gone.createdAt) }] });
    expect((await getHomeFeed({ viewerId: reader!.id, limit: 5 })).items.map((i) => i.id)).toEqual([kept.id]);
    await engine.settle();
    const cached = await readTimeline({ userId: reader!.id, limit: 5 });
    expect(cached.state === "cached" && cached.entries.map((e) => e.id)).toEqual([kept.id]);
  });
});

describe("reading", () => {
  it("pages without repeats or skips while posts arrive and are deleted", async () => {
    const [author, reader] = await makeUsers(2, "pg");
    await followUser({ followerId: reader!.id, username: author!.username });
    const base = Date.now() - 3_600_000;
    // Ties on purpose: three posts per millisecond.
    const rows = await insertPosts(author!.id, Array.from({ length: 30 }, (_, i) => ({ createdAt: new Date(base + Math.floor(i / 3)) })));
    await engine.settle();
    const snapshot = await groundTruth(reader!.id);
    expect(snapshot).toHaveLength(30);

    const first = await getHomeFeed({ viewerId: reader!.id, limit: 7 });
    const seen = first.items.map((i) => i.id);
    // Meanwhile: new posts, a deleted post already seen and two not yet seen.
    await post(author!.id, "newer");
    const deleted = [seen[2]!, snapshot[12]!, snapshot[20]!];
    for (const id of deleted) await deletePost({ postId: id, userId: author!.id });
    await engine.settle();

    let cursor = first.nextCursor;
    while (cursor) {
      const page = await getHomeFeed({ viewerId: reader!.id, cursor, limit: 7 });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(snapshot.filter((id) => id === deleted[0] || !deleted.includes(id)));
    expect(rows).toHaveLength(30);
  });

  it("continues from Postgres past the cached tail, with the same cursor and no gap", async () => {
    await withEnv({ TIMELINE_CAP: "5" }, async () => {
      const [a, b, reader] = await makeUsers(3, "tail");
      for (const f of [a!, b!]) await followUser({ followerId: reader!.id, username: f.username });
      const base = Date.now() - 7_200_000;
      await insertPosts(a!.id, Array.from({ length: 9 }, (_, i) => ({ createdAt: new Date(base + 2 * i) })));
      await insertPosts(b!.id, Array.from({ length: 9 }, (_, i) => ({ createdAt: new Date(base + 2 * i + 1) })));
      await engine.settle();
      await deleteTimeline(reader!.id);
      for (const limit of [1, 3, 4, 6, 20]) {
        expect(await readWholeFeed(reader!.id, limit)).toEqual(await groundTruth(reader!.id));
      }
      // Only the newest 5 are cached; the rest came from Postgres.
      expect(await getRedis().zcard(timelineKey(reader!.id))).toBe(5);
    });
  });

  it("rebuilds a missing timeline once for 100 concurrent readers, who all get the full first page", async () => {
    const authors = await makeUsers(5, "herd");
    const reader = await makeUser();
    for (const a of authors) {
      await followUser({ followerId: reader.id, username: a.username });
      await insertPosts(a.id, Array.from({ length: 10 }, () => ({})));
    }
    await engine.settle();
    await deleteTimeline(reader.id);
    const before = (await getFeedStats()).rebuilds;
    const pages = await Promise.all(Array.from({ length: 100 }, () => getHomeFeed({ viewerId: reader.id, limit: 20 })));
    expect((await getFeedStats()).rebuilds - before).toBe(1);
    const truth = (await groundTruth(reader.id)).slice(0, 20);
    for (const page of pages) expect(page.items.map((i) => i.id)).toEqual(truth);
  });

  it("gives an empty feed as an empty page, cached as the sentinel alone", async () => {
    const loner = await makeUser();
    expect(await getHomeFeed({ viewerId: loner.id, limit: 20 })).toEqual({ items: [], nextCursor: null });
    expect(await readTimeline({ userId: loner.id, limit: 5 })).toEqual({ state: "cached", entries: [], complete: true });
  });

  it("counts newer posts for the indicator, capped at 20", async () => {
    const [author, reader] = await makeUsers(2, "new");
    await followUser({ followerId: reader!.id, username: author!.username });
    const first = await post(author!.id);
    await engine.settle();
    const page = await getHomeFeed({ viewerId: reader!.id, limit: 5 });
    const since = encodeCursor(positionOf(page.items[0]!));
    expect(await countNewerPosts({ viewerId: reader!.id, since })).toBe(0);
    for (let i = 0; i < 3; i++) await post(author!.id);
    await engine.settle();
    expect(await countNewerPosts({ viewerId: reader!.id, since })).toBe(3);
    expect(first.id).toBe(page.items[0]!.id);
  });

  it("counts a followed superstar's newer posts, read from their outbox along with the timeline", async () => {
    const [star, author, reader] = await makeUsers(3, "newss");
    await flagSuperstar({ username: star!.username });
    for (const a of [star!, author!]) await followUser({ followerId: reader!.id, username: a.username });
    await post(author!.id);
    await engine.settle();
    const page = await getHomeFeed({ viewerId: reader!.id, limit: 5 }); // the reader's pulled lists are now guessed
    const since = encodeCursor(positionOf(page.items[0]!));
    await post(star!.id);
    await post(star!.id);
    await post(author!.id);
    await engine.settle();
    expect(await countNewerPosts({ viewerId: reader!.id, since })).toBe(3);
    // Unfollowed: the poll's view is the new one, whatever the guess said.
    await unfollowUser({ followerId: reader!.id, username: star!.username });
    expect(await countNewerPosts({ viewerId: reader!.id, since })).toBe(1);
    await engine.settle();
  });
});

describe("superstars", () => {
  it("pulls a superstar's posts at read time, loses none across the flag, and shows each once", async () => {
    const [star, reader] = await makeUsers(2, "star");
    await followUser({ followerId: reader!.id, username: star!.username });
    await getHomeFeed({ viewerId: reader!.id, limit: 5 });
    const pushed = await post(star!.id, "before the flag"); // pushed into reader's timeline
    await engine.settle();
    // Published, then flagged before its fan-out runs: the dispatcher sees a superstar.
    const inFlight = await post(star!.id, "flagged in flight");
    await flagSuperstar({ username: star!.username });
    await engine.settle();
    const pulled = await post(star!.id, "after the flag");
    await engine.settle();

    const timeline = await readTimeline({ userId: reader!.id, limit: 10 });
    expect(timeline.state === "cached" && timeline.entries.map((e) => e.id)).not.toContain(pulled.id);
    expect(await readWholeFeed(reader!.id, 2)).toEqual([pulled.id, inFlight.id, pushed.id]);
    expect(await getRedis().exists(listKey(outboxRef(star!.id)))).toBe(1);

    // After the reader's timeline is gone the rebuild leaves the superstar out; still all there.
    await deleteTimeline(reader!.id);
    expect(await readWholeFeed(reader!.id, 20)).toEqual(await groundTruth(reader!.id));
    await unfollowUser({ followerId: reader!.id, username: star!.username });
    expect(await readWholeFeed(reader!.id, 20)).toEqual([]);
    await engine.settle();
  });
});

describe("GET /api/v1/feed", () => {
  it("answers 401 logged out, 400 for a malformed cursor or since, and pages for a user", async () => {
    logInAs(null);
    expect((await feedRoute(apiRequest("GET", "/api/v1/feed"), { params: Promise.resolve({}) })).status).toBe(401);
    const user = await makeUser();
    logInAs(user);
    const bad = await readJson<ErrorBody>(await feedRoute(apiRequest("GET", "/api/v1/feed?cursor=%%%"), { params: Promise.resolve({}) }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_cursor");
    const noSince = await newPostsRoute(apiRequest("GET", "/api/v1/feed/new"), { params: Promise.resolve({}) });
    expect(noSince.status).toBe(400);
    const ok = await readJson(await feedRoute(apiRequest("GET", "/api/v1/feed?limit=5"), { params: Promise.resolve({}) }));
    expect(ok).toEqual({ status: 200, body: { items: [], nextCursor: null } });
    const fresh = await readJson(await newPostsRoute(apiRequest("GET", `/api/v1/feed/new?since=${encodeCursor({ t: 0, id: "0" })}`), { params: Promise.resolve({}) }));
    expect(fresh).toEqual({ status: 200, body: { count: 0 } });
    logInAs(null);
  });
});

describe("new posts from superstars", () => {
  it("counts a followed superstar's new posts even when their outbox was not cached", async () => {
    const [star, reader] = await makeUsers(2, "nstar");
    await flagSuperstar({ username: star!.username });
    await followUser({ followerId: reader!.id, username: star!.username });
    const page = await getHomeFeed({ viewerId: reader!.id, limit: 5 });
    expect(page.items).toEqual([]);
    await getRedis().del(listKey(outboxRef(star!.id)));
    await post(star!.id, "news");
    await engine.settle();
    expect(await countNewerPosts({ viewerId: reader!.id, since: encodeCursor({ t: 0, id: "0" }) })).toBe(1);
  });
});
