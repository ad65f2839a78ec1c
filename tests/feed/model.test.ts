// Model-based test of the whole feed: random users, follows, unfollows, posts, replies,
// reposts and their undoing, deletes, showReposts toggles, mutes, blocks, superstar flags,
// timeline expiries, Redis flushes and reads, interleaved (several at once, with the
// background fan-out running meanwhile). Whenever the fan-out settles, feeds read page by
// page through the cursor must equal the feed's rules computed in SQL (each post once, at
// its newest reason, with the right reposter). A small timeline cap makes reads cross
// from Redis into Postgres all the time.
//
// `npm test` runs a fixed seed. A longer run by hand:
//   FEED_MODEL_SEED=7 FEED_MODEL_STEPS=3000 npx vitest run tests/feed/model.test.ts
import { expect, it, vi } from "vitest";
import { flagSuperstar } from "@/lib/admin/superstars";
import { getHomeFeed } from "@/lib/feed/home-feed";
import { deleteTimeline, timelineKey } from "@/lib/feed/timeline-store";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import { repostPost, undoRepost } from "@/lib/reactions/reposts";
import { blockUser, unblockUser } from "@/lib/relationships/block";
import { muteUser, unmuteUser } from "@/lib/relationships/mute";
import { setShowReposts } from "@/lib/relationships/show-reposts";
import { AppError } from "@/lib/errors";
import type { User } from "@/db/schema";
import { getSql } from "@/db";
import { getRedis } from "@/lib/redis";
import { makeUsers } from "../support/fixtures";
import { prng } from "../support/prng";
import { flushRedisPrefix, groundTruth, feedEngineForFile, withEnv } from "./support/engine";
import { readWholeFeed } from "./support/read";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const SEED = Number(process.env.FEED_MODEL_SEED ?? 20261123);
const STEPS = Number(process.env.FEED_MODEL_STEPS ?? 240);
const USERS = Number(process.env.FEED_MODEL_USERS ?? 9);


type Op =
  | "post" | "reply" | "repost" | "undo" | "delete" | "follow" | "unfollow" | "reposts-off" | "reposts-on"
  | "mute" | "unmute" | "block" | "unblock" | "flag" | "expire" | "flush" | "read" | "settle";
const WEIGHTS: Array<[Op, number]> = [
  ["post", 22], ["reply", 10], ["repost", 16], ["undo", 6], ["delete", 5], ["follow", 18], ["unfollow", 6],
  ["reposts-off", 2], ["reposts-on", 2], ["mute", 2], ["unmute", 2], ["block", 1], ["unblock", 1],
  ["flag", 1], ["expire", 4], ["flush", 1], ["read", 22], ["settle", 8],
];

/** What a user may be refused while racing others (a post deleted or an author blocking meanwhile). */
async function refusable(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof AppError && [404, 409, 422].includes(error.status))) throw error;
  }
}

const engine = feedEngineForFile();

it(`feeds equal the SQL ground truth after random interleaved operations (seed ${SEED}, ${STEPS} steps)`, { timeout: Math.max(300_000, STEPS * 400) }, async () => {
  // Its own key prefix, so "Redis flushed" here cannot touch other test files' keys.
  const prefix = `${process.env.REDIS_KEY_PREFIX ?? ""}model${SEED}:`;
  await withEnv({ REDIS_KEY_PREFIX: prefix, TIMELINE_CAP: "6", RATE_LIMIT_MULTIPLIER: "1000" }, async () => {
    const rnd = prng(SEED);
    const users: User[] = await makeUsers(USERS, "m");
    const live: string[] = []; // post ids not deleted, for picking deletes
    const authorOf = new Map<string, string>();
    const reposted: Array<{ userId: string; postId: string }> = [];
    let flagged = 0;
    const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
    const chooseOp = (): Op => {
      let r = rnd.next() * total;
      for (const [op, w] of WEIGHTS) if ((r -= w) < 0) return op;
      return "read";
    };
    const log: string[] = [];

    const check = async (who: readonly User[]) => {
      await engine.settle();
      for (const u of who) {
        const limit = 1 + rnd.int(7);
        const feed = await readWholeFeed(u.id, limit).catch((error: unknown) => [String(error)]);
        const truth = await groundTruth(u.id);
        if (process.env.FEED_MODEL_DEBUG && JSON.stringify(feed) !== JSON.stringify(truth)) {
          const sql = getSql();
          const tl = (await getRedis().zrange(timelineKey(u.id), 0, -1, { withScores: true })) as Array<string | number>;
          console.log("DEBUG reader", u.id, "timeline", JSON.stringify(tl));
          let cursor: string | undefined;
          const shown: string[] = [];
          do {
            const page = await getHomeFeed({ viewerId: u.id, cursor, limit });
            shown.push(page.items.map((i) => `${i.id}${i.reason ? "<" + i.reason.by.id : ""}@${Date.parse(i.reason?.at ?? i.createdAt)}`).join(" "));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          console.log("DEBUG pages", shown.join(" | "));
          console.log("DEBUG follows", JSON.stringify(await sql`select followee_id, show_reposts, (select is_superstar from users where id = followee_id) from follows where follower_id = ${u.id}`));
          console.log("DEBUG reposts", JSON.stringify(await sql`select user_id, post_id, (extract(epoch from created_at)*1000)::int8::text as t from reposts order by created_at`));
          console.log("DEBUG posts", JSON.stringify(await sql`select id, author_id a, reply_to_user_id r, (extract(epoch from created_at)*1000)::int8::text as t, deleted_at is not null as del from posts order by id`));
          console.log("DEBUG mutes", JSON.stringify(await sql`select * from mutes`), "blocks", JSON.stringify(await sql`select * from blocks`));
        }
        expect(feed, `feed of ${u.username} (page size ${limit}) after: ${log.slice(-12).join(", ")}`).toEqual(await groundTruth(u.id));
      }
    };

    const run = async (op: Op): Promise<void> => {
      const u = rnd.pick(users);
      const v = rnd.pick(users);
      switch (op) {
        case "post": {
          const p = await createPost({ authorId: u.id, content: `${u.username} says ${rnd.int(1e6)}` });
          live.push(p.id);
          authorOf.set(p.id, u.id);
          return;
        }
        case "reply": {
          if (live.length === 0) return;
          const parent = rnd.pick(live);
          await refusable(async () => {
            const p = await createPost({ authorId: u.id, content: `${u.username} answers ${rnd.int(1e6)}`, replyToId: parent });
            live.push(p.id);
            authorOf.set(p.id, u.id);
          });
          return;
        }
        case "repost": {
          if (live.length === 0) return;
          const postId = rnd.pick(live);
          await refusable(async () => {
            await repostPost({ userId: u.id, postId });
            reposted.push({ userId: u.id, postId });
          });
          return;
        }
        case "undo": {
          if (reposted.length === 0) return;
          const r = reposted.splice(rnd.int(reposted.length), 1)[0]!;
          await refusable(() => undoRepost(r));
          return;
        }
        case "reposts-off":
        case "reposts-on":
          if (u.id !== v.id) await refusable(() => setShowReposts({ followerId: u.id, username: v.username, showReposts: op === "reposts-on" }));
          return;
        case "mute":
          if (u.id !== v.id) await muteUser({ muterId: u.id, username: v.username });
          return;
        case "unmute":
          if (u.id !== v.id) await unmuteUser({ muterId: u.id, username: v.username });
          return;
        case "block":
          if (u.id !== v.id) await blockUser({ blockerId: u.id, username: v.username });
          return;
        case "unblock":
          if (u.id !== v.id) await unblockUser({ blockerId: u.id, username: v.username });
          return;
        case "delete": {
          if (live.length === 0) return;
          const id = live.splice(rnd.int(live.length), 1)[0]!;
          await deletePost({ postId: id, userId: authorOf.get(id)! });
          return;
        }
        case "follow":
          if (u.id !== v.id) await refusable(() => followUser({ followerId: u.id, username: v.username }));
          return;
        case "unfollow":
          await unfollowUser({ followerId: u.id, username: v.username });
          return;
        case "flag":
          if (flagged < 2) {
            flagged += 1;
            await flagSuperstar({ username: u.username });
          }
          return;
        case "expire":
          await deleteTimeline(u.id);
          return;
        case "flush":
          await flushRedisPrefix(prefix);
          return;
        case "read": {
          const page = await getHomeFeed({ viewerId: u.id, limit: 1 + rnd.int(5) });
          if (page.nextCursor && rnd.next() < 0.5) await getHomeFeed({ viewerId: u.id, cursor: page.nextCursor, limit: 3 });
          return;
        }
        case "settle":
          await check([u]);
      }
    };

    for (let step = 0; step < STEPS; ) {
      // Up to three operations at once, racing each other and the background work.
      const group = Array.from({ length: 1 + rnd.int(3) }, () => chooseOp()).filter((op) => op !== "settle" || step === 0);
      const ops = group.length > 0 ? group : (["settle"] as Op[]);
      log.push(ops.join("+"));
      await Promise.all(ops.map(run));
      step += ops.length;
    }
    await check(users);
    expect(live.length).toBeGreaterThan(0);
  });
});
