// The timeline primitive against the real Redis of this run (through the REST bridge).
import { describe, expect, it } from "vitest";
import { getRedis } from "@/lib/redis";
import type { Position } from "@/lib/cursor";
import {
  TIMELINE_TTL_SECONDS,
  acquireLease,
  deleteTimeline,
  installList,
  pushToTimelines,
  readTimeline,
  removeFromTimelines,
  replaceTimeline,
  timelineKey,
  timelineRef,
  type TimelineEntry,
} from "@/lib/feed/timeline-store";

let n = 0;
const newUserId = () => `${Date.now() % 1_000_000}${String(++n).padStart(4, "0")}`;

/** Reads the whole timeline page by page through the cursor. */
async function readAll(userId: string, limit: number) {
  const seen: TimelineEntry[] = [];
  let after: Position | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await readTimeline({ userId, after, limit });
    if (page.state === "missing") throw new Error("missing");
    seen.push(...page.entries);
    if (page.complete || page.entries.length < limit) return { seen, complete: page.complete };
    const last = page.entries.at(-1)!;
    after = { t: last.t, id: last.id };
  }
  throw new Error("no end");
}

// Same-millisecond ties across ids of different lengths: numeric order must win.
const ENTRIES: TimelineEntry[] = [
  { id: "99", t: 5_000 },
  { id: "100", t: 5_000 },
  { id: "7", t: 5_000 },
  { id: "1000", t: 4_000 },
  { id: "12", t: 6_000 },
  { id: "3", t: 1_000 },
];
const EXPECTED = ["12", "100", "99", "7", "1000", "3"];

describe("timeline store", () => {
  it("says missing for a timeline that does not exist", async () => {
    expect(await readTimeline({ userId: newUserId(), limit: 20 })).toEqual({ state: "missing" });
  });

  it("reads newest first with numeric id ties, page by page, without repeats or gaps", async () => {
    const userId = newUserId();
    await replaceTimeline({ userId, entries: ENTRIES, complete: true });
    for (const limit of [1, 2, 3, 4, 6, 20]) {
      const { seen, complete } = await readAll(userId, limit);
      expect(seen.map((e) => e.id)).toEqual(EXPECTED);
      expect(complete).toBe(true);
    }
  });

  it("reports an incomplete cache when the entries run out without the sentinel", async () => {
    const userId = newUserId();
    await replaceTimeline({ userId, entries: ENTRIES, complete: false });
    const page = await readTimeline({ userId, limit: 20 });
    expect(page).toMatchObject({ state: "cached", complete: false });
    expect(page.state === "cached" && page.entries.map((e) => e.id)).toEqual(EXPECTED);
  });

  it("stores an empty, complete feed as a set holding only the sentinel", async () => {
    const userId = newUserId();
    await replaceTimeline({ userId, entries: [], complete: true });
    expect(await readTimeline({ userId, limit: 20 })).toEqual({ state: "cached", entries: [], complete: true });
    expect(await getRedis().zcard(timelineKey(userId))).toBe(1);
  });

  it("pushes only to timelines that exist, idempotently, and trims to the cap (dropping the sentinel)", async () => {
    const [online, offline] = [newUserId(), newUserId()];
    await replaceTimeline({ userId: online, entries: [{ id: "1", t: 1 }], complete: true });
    const post = { id: "50", t: 9_000 };
    expect(await pushToTimelines({ userIds: [online, offline], entries: [post], cap: 3 })).toBe(1);
    expect(await pushToTimelines({ userIds: [online, offline], entries: [post], cap: 3 })).toBe(1);
    expect(await readTimeline({ userId: offline, limit: 20 })).toEqual({ state: "missing" });
    let page = await readTimeline({ userId: online, limit: 20 });
    expect(page).toEqual({ state: "cached", entries: [post, { id: "1", t: 1 }], complete: true });

    // Two more posts overflow the cap of 3 members: the sentinel goes first, then the oldest.
    await pushToTimelines({ userIds: [online], entries: [{ id: "51", t: 9_001 }, { id: "52", t: 9_002 }], cap: 3 });
    page = await readTimeline({ userId: online, limit: 20 });
    expect(page).toMatchObject({ state: "cached", complete: false });
    expect(page.state === "cached" && page.entries.map((e) => e.id)).toEqual(["52", "51", "50"]);
  });

  it("pushes to existing lists, parks for lists being rebuilt, and leaves missing ones alone, in one call", async () => {
    const [missing, online, rebuilding, online2] = [newUserId(), newUserId(), newUserId(), newUserId()];
    for (const userId of [online, online2]) await replaceTimeline({ userId, entries: [{ id: "1", t: 1 }], complete: true });
    expect(await acquireLease(timelineRef(rebuilding), "rebuilder", 10_000)).toBe(true);
    const post = { id: "60", t: 9_500 };
    expect(await pushToTimelines({ userIds: [missing, online, rebuilding, online2], entries: [post] })).toBe(2);
    expect(await readTimeline({ userId: missing, limit: 20 })).toEqual({ state: "missing" });
    expect(await readTimeline({ userId: rebuilding, limit: 20 })).toEqual({ state: "missing" });
    for (const userId of [online, online2]) expect(await readTimeline({ userId, limit: 20 })).toEqual({ state: "cached", entries: [post, { id: "1", t: 1 }], complete: true });
    // The rebuild installs a snapshot from before the post: the parked post is merged in.
    expect(await installList({ ref: timelineRef(rebuilding), token: "rebuilder", entries: [{ id: "2", t: 2 }], complete: true })).toBe(true);
    expect(await readTimeline({ userId: rebuilding, limit: 20 })).toEqual({ state: "cached", entries: [post, { id: "2", t: 2 }], complete: true });
    expect(await getRedis().exists(`${timelineKey(missing)}:pending`)).toBe(0);
  });

  it("keeps the newest entries up to the cap on replace, and then is not complete", async () => {
    const userId = newUserId();
    await replaceTimeline({ userId, entries: ENTRIES, complete: true, cap: 4 });
    const { seen, complete } = await readAll(userId, 10);
    expect(seen.map((e) => e.id)).toEqual(EXPECTED.slice(0, 4));
    expect(complete).toBe(false);
  });

  it("replaces the whole timeline, not merges into it", async () => {
    const userId = newUserId();
    await replaceTimeline({ userId, entries: ENTRIES, complete: true });
    await replaceTimeline({ userId, entries: [{ id: "500", t: 7_000 }], complete: true });
    expect((await readAll(userId, 20)).seen.map((e) => e.id)).toEqual(["500"]);
  });

  it("removes posts, and refreshes the TTL when read", async () => {
    const userId = newUserId();
    await replaceTimeline({ userId, entries: ENTRIES, complete: true });
    await removeFromTimelines({ userIds: [userId], postIds: ["99", "12"] });
    await getRedis().expire(timelineKey(userId), 10);
    expect((await readAll(userId, 20)).seen.map((e) => e.id)).toEqual(["100", "7", "1000", "3"]);
    expect(await getRedis().ttl(timelineKey(userId))).toBeGreaterThan(TIMELINE_TTL_SECONDS - 60);
    await deleteTimeline(userId);
    expect(await readTimeline({ userId, limit: 5 })).toEqual({ state: "missing" });
  });

  it("never shows a reader half a rebuild", async () => {
    const userId = newUserId();
    const big = Array.from({ length: 800 }, (_, i) => ({ id: String(i + 1), t: 10_000 + i }));
    await replaceTimeline({ userId, entries: big.slice(0, 400), complete: true });
    const reads = Array.from({ length: 30 }, () => readTimeline({ userId, limit: 800 }));
    await replaceTimeline({ userId, entries: big, complete: true });
    for (const page of await Promise.all(reads)) {
      expect(page.state).toBe("cached");
      if (page.state === "cached") expect([400, 800]).toContain(page.entries.length);
    }
  });
});
