// The two alternative feed models the benchmarks compare Starling's hybrid with
// (FEED_MODEL): pure push and pure pull must serve the same feed, built their own way.
import { describe, expect, it, vi } from "vitest";
import { flagSuperstar } from "@/lib/admin/superstars";
import { encodeCursor } from "@/lib/cursor";
import { followUser } from "@/lib/follows/follow";
import { countNewerPosts, getHomeFeed } from "@/lib/feed/home-feed";
import { feedPosition as positionOf } from "@/lib/feed/feed-item";
import { listKey, outboxRef, readTimeline, timelineKey } from "@/lib/feed/timeline-store";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import { getRedis } from "@/lib/redis";
import { makeUsers } from "../support/fixtures";
import { insertPosts } from "../posts/support";
import { feedEngineForFile, groundTruth, withEnv } from "./support/engine";
import { readWholeFeed } from "./support/read";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();

/** A reader following an ordinary author and a superstar, both with a history. */
async function world(prefix: string) {
  const [star, author, reader] = await makeUsers(3, prefix);
  await flagSuperstar({ username: star!.username });
  for (const u of [star!, author!]) await followUser({ followerId: reader!.id, username: u.username });
  const base = Date.now() - 3_600_000;
  await insertPosts(star!.id, Array.from({ length: 12 }, (_, i) => ({ createdAt: new Date(base + i * 1000) })));
  await insertPosts(author!.id, Array.from({ length: 12 }, (_, i) => ({ createdAt: new Date(base + i * 1000 + 500) })));
  await engine.settle();
  return { star: star!, author: author!, reader: reader! };
}

describe("FEED_MODEL=push", () => {
  it("keeps superstars' posts in timelines: rebuilt with them, pushed to them, no outbox", () =>
    withEnv({ FEED_MODEL: "push" }, async () => {
      const { star, reader } = await world("push");
      expect(await readWholeFeed(reader.id, 5)).toEqual(await groundTruth(reader.id));
      const cached = await readTimeline({ userId: reader.id, limit: 100 });
      expect(cached.state === "cached" && cached.entries.length).toBe(24);

      const p = await createPost({ authorId: star.id, content: "pushed, not pulled" });
      await engine.settle();
      const after = await readTimeline({ userId: reader.id, limit: 1 });
      expect(after.state === "cached" && after.entries[0]?.id).toBe(p.id);
      expect(await getRedis().exists(listKey(outboxRef(star.id)))).toBe(0);
      expect((await getHomeFeed({ viewerId: reader.id, limit: 1 })).items[0]?.id).toBe(p.id);
    }));
});

describe("FEED_MODEL=pull", () => {
  it("reads the feed from Postgres alone: same pages, no timeline, no fan-out", () =>
    withEnv({ FEED_MODEL: "pull" }, async () => {
      const { author, reader } = await world("pull");
      const truth = await groundTruth(reader.id);
      expect(truth).toHaveLength(24);
      for (const limit of [1, 5, 7, 24, 30]) expect(await readWholeFeed(reader.id, limit)).toEqual(truth);

      const first = (await getHomeFeed({ viewerId: reader.id, limit: 3 })).items[0]!;
      const fresh = await createPost({ authorId: author.id, content: "new" });
      const gone = await createPost({ authorId: author.id, content: "deleted" });
      await deletePost({ postId: gone.id, userId: author.id });
      await engine.settle();
      expect(await getRedis().exists(timelineKey(reader.id))).toBe(0);
      expect(await countNewerPosts({ viewerId: reader.id, since: encodeCursor(positionOf(first)) })).toBe(1);
      expect((await getHomeFeed({ viewerId: reader.id, limit: 1 })).items.map((i) => i.id)).toEqual([fresh.id]);
    }));
});

