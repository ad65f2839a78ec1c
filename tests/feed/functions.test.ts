// The feed's background functions: re-runs and duplicates change nothing, follow/unfollow
// races end right in every order, and a write that lands during a rebuild is not lost.
import { describe, expect, it, vi } from "vitest";
import { inngest } from "@/lib/events/client";
import { postCreated } from "@/lib/events/schemas";
import { deliverBatch, dispatchFanout } from "@/lib/feed/fanout";
import { syncFollow } from "@/lib/feed/follow-sync";
import { getHomeFeed } from "@/lib/feed/home-feed";
import { acquireLease, installList, pushToTimelines, readTimeline, timelineRef, type TimelineEntry } from "@/lib/feed/timeline-store";
import { loadTimeline } from "@/lib/feed/truth";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { createPost } from "@/lib/posts/create-post";
import { makeUsers } from "../support/fixtures";
import { groundTruth, feedEngineForFile } from "./support/engine";
import { readWholeFeed } from "./support/read";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();

async function cachedIds(userId: string): Promise<string[] | "missing"> {
  const page = await readTimeline({ userId, limit: 10_000 });
  return page.state === "missing" ? "missing" : page.entries.map((e) => e.id);
}

/** Author, followers with live timelines, and a post by the author, fanned out. */
async function world(followerCount: number) {
  const [author, ...followers] = await makeUsers(followerCount + 1, "idem");
  for (const f of followers) await followUser({ followerId: f.id, username: author!.username });
  for (const f of followers) await getHomeFeed({ viewerId: f.id, limit: 5 });
  await engine.settle();
  return { author: author!, followers };
}

describe("idempotency", () => {
  it("gives the same timelines when the dispatcher, a batch or the whole event runs again", async () => {
    const { author, followers } = await world(3);
    const post = await createPost({ authorId: author.id, content: "once" });
    await engine.settle();
    const after = await Promise.all(followers.map((f) => cachedIds(f.id)));
    expect(after.every((ids) => ids !== "missing" && ids.filter((id) => id === post.id).length === 1)).toBe(true);

    await dispatchFanout({ op: "add", postId: post.id });
    const t = Date.parse(post.createdAt);
    await deliverBatch({ op: "add", postId: post.id, authorId: author.id, t, batch: 0, followerIds: followers.map((f) => f.id) });
    // The same event again with a new id (a client retry that the id did not dedupe).
    await inngest.send(postCreated.create({ postId: post.id, authorId: author.id, createdAt: post.createdAt }, { id: `dup-${post.id}-${Date.now()}` }));
    await engine.settle();
    expect(await Promise.all(followers.map((f) => cachedIds(f.id)))).toEqual(after);
  });

  it("syncs a follow the same way however often it runs", async () => {
    const [a, b] = await makeUsers(2, "idem2");
    await createPost({ authorId: b!.id, content: "b" });
    await getHomeFeed({ viewerId: a!.id, limit: 5 });
    await followUser({ followerId: a!.id, username: b!.username });
    await engine.settle();
    const once = await cachedIds(a!.id);
    for (let i = 0; i < 3; i++) await syncFollow({ followerId: a!.id, followeeId: b!.id });
    expect(await cachedIds(a!.id)).toEqual(once);
    expect(once).toEqual(await groundTruth(a!.id));
  });
});

describe("follow and unfollow races", () => {
  // Each case: the changes happen in this order; then the syncs run in the given order
  // (late, duplicated, reordered), as a slow or retrying queue would run them.
  const cases: Array<{ changes: Array<"follow" | "unfollow">; syncs: number }> = [
    { changes: ["follow"], syncs: 1 },
    { changes: ["follow", "unfollow"], syncs: 2 },
    { changes: ["follow", "unfollow", "follow"], syncs: 3 },
    { changes: ["follow", "unfollow", "follow", "unfollow"], syncs: 4 },
  ];
  for (const { changes, syncs } of cases) {
    for (const timing of ["each after its change", "all late"] as const) {
      it(`${changes.join(" → ")}, syncs ${timing}: the timeline matches the final follow state`, async () => {
        const [a, b] = await makeUsers(2, "race");
        await createPost({ authorId: b!.id, content: "b1" });
        await createPost({ authorId: a!.id, content: "a1" });
        await engine.settle();
        await getHomeFeed({ viewerId: a!.id, limit: 5 });
        const sync = () => syncFollow({ followerId: a!.id, followeeId: b!.id });
        for (const change of changes) {
          if (change === "follow") await followUser({ followerId: a!.id, username: b!.username });
          else await unfollowUser({ followerId: a!.id, username: b!.username });
          if (timing === "each after its change") await sync();
        }
        if (timing === "all late") for (let i = 0; i < syncs; i++) await sync();
        await engine.settle(); // the real runs, after all of the above
        expect(await cachedIds(a!.id)).toEqual(await groundTruth(a!.id));
      });
    }
  }

  it("ends right when follow, unfollow and their syncs all run at once, over and over", async () => {
    const [a, b, c] = await makeUsers(3, "storm");
    for (const u of [b!, c!]) for (let i = 0; i < 3; i++) await createPost({ authorId: u.id, content: `${u.username} ${i}` });
    await engine.settle();
    await getHomeFeed({ viewerId: a!.id, limit: 5 });
    for (let round = 0; round < 6; round++) {
      const ops = [b!, c!].flatMap((u) => [
        followUser({ followerId: a!.id, username: u.username }),
        syncFollow({ followerId: a!.id, followeeId: u.id }),
        round % 2 ? unfollowUser({ followerId: a!.id, username: u.username }) : Promise.resolve(),
        syncFollow({ followerId: a!.id, followeeId: u.id }),
      ]);
      await Promise.all(ops);
      await engine.settle();
      expect(await cachedIds(a!.id)).toEqual(await groundTruth(a!.id));
    }
  });
});

describe("writes during a rebuild", () => {
  it("parks a post fanned out while the timeline is being rebuilt and merges it into the rebuilt one", async () => {
    const [author, reader] = await makeUsers(2, "park");
    await followUser({ followerId: reader!.id, username: author!.username });
    await createPost({ authorId: author!.id, content: "old" });
    await engine.settle();
    await getHomeFeed({ viewerId: reader!.id, limit: 5 }); // reader is active
    await engine.settle();
    await (await import("@/lib/feed/timeline-store")).deleteTimeline(reader!.id);

    // A rebuild starts: lease taken, Postgres read (before the new post exists)…
    const ref = timelineRef(reader!.id);
    expect(await acquireLease(ref, "rebuilder", 10_000)).toBe(true);
    const snapshot: TimelineEntry[] = await loadTimeline({ userId: reader!.id, limit: 800 });
    // …the new post is published and fanned out meanwhile…
    const fresh = await createPost({ authorId: author!.id, content: "during the rebuild" });
    await engine.settle();
    expect(await readTimeline({ userId: reader!.id, limit: 5 })).toEqual({ state: "missing" });
    // …and the rebuild installs its stale snapshot: the parked post is merged in.
    expect(await installList({ ref, token: "rebuilder", entries: snapshot, complete: true })).toBe(true);
    expect(await cachedIds(reader!.id)).toEqual(await groundTruth(reader!.id));
    expect((await cachedIds(reader!.id))[0]).toBe(fresh.id);
  });

  it("refuses an install whose lease ran out, and keeps pushes from opening gaps below the horizon", async () => {
    const [reader] = await makeUsers(1, "horizon");
    const ref = timelineRef(reader!.id);
    expect(await acquireLease(ref, "a", 10_000)).toBe(true);
    expect(await installList({ ref, token: "b", entries: [], complete: true })).toBe(false);
    expect(await installList({ ref, token: "a", entries: [{ id: "10", t: 1000 }, { id: "11", t: 2000 }], complete: false })).toBe(true);
    // Older than the oldest cached entry of an incomplete list: not added (the reader finds it in Postgres).
    await pushToTimelines({ userIds: [reader!.id], entries: [{ id: "5", t: 500 }, { id: "12", t: 3000 }] });
    expect(await cachedIds(reader!.id)).toEqual(["12", "11", "10"]);
    expect(await readWholeFeed(reader!.id, 5)).toEqual([]); // none of these ids are real posts
  });
});
