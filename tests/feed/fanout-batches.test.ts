// How a fan-out is cut into batches: an audience that fits one batch is delivered by the
// dispatcher itself (no batch event, no batch run), a bigger one goes out as batch events
// sized by the audience; and a batch that writes a post deleted meanwhile (its post check
// is remembered for a moment) leaves every feed right. A huge, mostly active audience goes
// out as ranges of follower ids that each batch reads itself.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getSql } from "@/db";
import { FANOUT_BATCH_MAX, FANOUT_BATCH_SIZE } from "@/lib/events/schemas";
import { deliverBatch, fanoutBatchSize } from "@/lib/feed/fanout";
import { getHomeFeed } from "@/lib/feed/home-feed";
import { fanoutLagKey } from "@/lib/feed/stats";
import { readTimeline, removeFromTimelines } from "@/lib/feed/timeline-store";
import { followUser } from "@/lib/follows/follow";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import { getRedis } from "@/lib/redis";
import { makeUsers } from "../support/fixtures";
import { groundTruth, startFeedEngine, type FeedEngine } from "./support/engine";
import { readWholeFeed } from "./support/read";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

let engine: FeedEngine;
beforeAll(async () => {
  process.env.RATE_LIMIT_MULTIPLIER = "1000";
  engine = await startFeedEngine();
});
afterAll(async () => {
  await engine?.close();
});

/** An author and followers who all hold a timeline (they read their feed). */
async function world(followerCount: number) {
  const [author, ...followers] = await makeUsers(followerCount + 1, "batches");
  for (const f of followers) await followUser({ followerId: f.id, username: author!.username });
  for (const f of followers) await getHomeFeed({ viewerId: f.id, limit: 5 });
  await engine.settle();
  return { author: author!, followers };
}

const batchRuns = (postId: string) =>
  engine.orchestrator.runs().filter((r) => r.functionId.endsWith("fan-out-batch") && r.eventId.startsWith(`fanout-add-${postId}-`));

async function holds(userId: string, postId: string): Promise<boolean> {
  const page = await readTimeline({ userId, limit: 100 });
  return page.state === "cached" && page.entries.some((e) => e.id === postId);
}

async function lagRecorded(postId: string): Promise<boolean> {
  const samples = await getRedis().lrange(fanoutLagKey(), 0, -1);
  return samples.some((raw) => (JSON.parse(raw) as { postId: string }).postId === postId);
}

describe("fan-out batches", () => {
  it("delivers an audience that fits one batch in the dispatcher, without a batch run, and still records the fan-out", async () => {
    const { author, followers } = await world(3);
    const post = await createPost({ authorId: author.id, content: "to a few" });
    await engine.settle();
    for (const f of followers) expect(await holds(f.id, post.id)).toBe(true);
    expect(batchRuns(post.id)).toEqual([]);
    expect(await lagRecorded(post.id)).toBe(true);
  });

  it("sends batch events when the audience may not fit one batch", async () => {
    const { author, followers } = await world(3);
    // The counter says more followers than a batch holds: the dispatcher cannot deliver alone.
    await getSql()`update users set followers_count = ${FANOUT_BATCH_SIZE + 1} where id = ${author.id}`;
    const post = await createPost({ authorId: author.id, content: "to many, says the counter" });
    await engine.settle();
    for (const f of followers) expect(await holds(f.id, post.id)).toBe(true);
    expect(batchRuns(post.id).map((r) => r.status)).toEqual(["completed"]);
    expect(await lagRecorded(post.id)).toBe(true);
  });

  it("sends a huge, mostly active audience as ranges of follower ids, each read by its batch", async () => {
    const { author, followers } = await world(3);
    // The counter says a million followers, all active by sample: the audience is pushed whole.
    await getSql()`update users set followers_count = 1000000 where id = ${author.id}`;
    const post = await createPost({ authorId: author.id, content: "to everyone" });
    await engine.settle();
    for (const f of followers) expect(await holds(f.id, post.id)).toBe(true);
    const last = followers.map((f) => BigInt(f.id)).reduce((a, b) => (a > b ? a : b));
    expect(batchRuns(post.id).map((r) => [r.eventId, r.status])).toEqual([[`fanout-add-${post.id}-0-range-0-${last}`, "completed"]]);
    expect(await lagRecorded(post.id)).toBe(true);
  });

  it("delivers a range batch to the author's followers with ids in (after, through] only", async () => {
    const { author, followers } = await world(3);
    const [first, second, third] = followers.map((f) => f.id).sort((a, b) => Number(BigInt(a) - BigInt(b)));
    const post = await createPost({ authorId: author.id, content: "for a range" });
    await engine.settle();
    const t = Date.parse(post.createdAt);
    // Taken out again, so that only the range batch below can put it back.
    for (const id of [first!, second!, third!]) await removeFromTimelines({ userIds: [id], postIds: [post.id] });
    const written = await deliverBatch({ op: "add", postId: post.id, authorId: author.id, t, batch: 0, followerRange: { after: first!, through: second! } });
    expect(written).toBe(1);
    expect([await holds(first!, post.id), await holds(second!, post.id), await holds(third!, post.id)]).toEqual([false, true, false]);
  });

  it("sizes batches by audience, never past the event's limit", () => {
    expect(fanoutBatchSize(1)).toBe(FANOUT_BATCH_SIZE);
    expect(fanoutBatchSize(40_000)).toBe(FANOUT_BATCH_SIZE);
    expect(fanoutBatchSize(60_000)).toBe(3_000);
    expect(fanoutBatchSize(100_000)).toBe(FANOUT_BATCH_MAX);
    expect(fanoutBatchSize(1_000_000)).toBe(FANOUT_BATCH_MAX);
    expect(fanoutBatchSize(100_000_000)).toBe(FANOUT_BATCH_MAX);
  });

  it("keeps feeds right when a late batch writes a post deleted since its last check", async () => {
    const { author, followers } = await world(2);
    const post = await createPost({ authorId: author.id, content: "soon gone" });
    await engine.settle(); // the post check is now remembered as "not deleted"
    await deletePost({ postId: post.id, userId: author.id });
    await engine.settle();
    // A retried batch of the first fan-out, after the removal ran.
    await deliverBatch({ op: "add", postId: post.id, authorId: author.id, t: Date.parse(post.createdAt), batch: 0, followerIds: followers.map((f) => f.id) });
    for (const f of followers) {
      const feed = await readWholeFeed(f.id, 3);
      expect(feed).not.toContain(post.id);
      expect(feed).toEqual(await groundTruth(f.id));
    }
  });
});
