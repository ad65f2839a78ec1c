// The model-based test of the whole feed (model.test.ts, model-two-instances.test.ts):
// random users, follows, unfollows, posts, replies, reposts and their undoing, deletes,
// showReposts toggles, mutes, blocks, superstar flags, timeline expiries, Redis flushes and
// reads, interleaved (several at once, with the background fan-out running meanwhile).
// Whenever the fan-out settles, feeds read page by page through the cursor must equal the
// feed's rules computed in SQL (each post once, at its newest reason, with the right
// reposter). A small timeline cap makes reads cross from Redis into Postgres all the time.
//
// Every operation and every page of a check goes through one of `apps`, chosen at random:
// with two app instances (two copies of the app's modules, each with its own per-process
// state), a change made through one must be right when read through the other, and a
// cursor from one must page on in the other.
import { expect } from "vitest";
import type { User } from "@/db/schema";
import { getSql } from "@/db";
import { getRedis } from "@/lib/redis";
import { timelineKey } from "@/lib/feed/timeline-store";
import { makeUsers } from "../../support/fixtures";
import { prng } from "../../support/prng";
import { flushRedisPrefix, groundTruth, withEnv } from "./engine";
import { readWholeFeed } from "./read";

/** The app's entry points the model drives, from one copy of its modules. */
export interface FeedApp {
  name: string;
  AppError: typeof import("@/lib/errors").AppError;
  createPost: typeof import("@/lib/posts/create-post").createPost;
  deletePost: typeof import("@/lib/posts/delete-post").deletePost;
  repostPost: typeof import("@/lib/reactions/reposts").repostPost;
  undoRepost: typeof import("@/lib/reactions/reposts").undoRepost;
  followUser: typeof import("@/lib/follows/follow").followUser;
  unfollowUser: typeof import("@/lib/follows/follow").unfollowUser;
  muteUser: typeof import("@/lib/relationships/mute").muteUser;
  unmuteUser: typeof import("@/lib/relationships/mute").unmuteUser;
  blockUser: typeof import("@/lib/relationships/block").blockUser;
  unblockUser: typeof import("@/lib/relationships/block").unblockUser;
  setShowReposts: typeof import("@/lib/relationships/show-reposts").setShowReposts;
  flagSuperstar: typeof import("@/lib/admin/superstars").flagSuperstar;
  getHomeFeed: typeof import("@/lib/feed/home-feed").getHomeFeed;
  deleteTimeline: typeof import("@/lib/feed/timeline-store").deleteTimeline;
}

/**
 * The entry points from the module registry as it is now. After `vi.resetModules()` this
 * is a second copy of the app: its own module-level caches (the pulled-lists guess, the
 * fan-out's post check, the env cache), as a second process would have. Clients kept on
 * globalThis (the Postgres pool, the Redis client and its breaker, the outbox relay) stay
 * shared: they hold connections, not facts.
 */
export async function loadFeedApp(name: string): Promise<FeedApp> {
  const [errors, create, del, reposts, follow, mute, block, show, superstars, home, store] = await Promise.all([
    import("@/lib/errors"),
    import("@/lib/posts/create-post"),
    import("@/lib/posts/delete-post"),
    import("@/lib/reactions/reposts"),
    import("@/lib/follows/follow"),
    import("@/lib/relationships/mute"),
    import("@/lib/relationships/block"),
    import("@/lib/relationships/show-reposts"),
    import("@/lib/admin/superstars"),
    import("@/lib/feed/home-feed"),
    import("@/lib/feed/timeline-store"),
  ]);
  return {
    name,
    AppError: errors.AppError,
    createPost: create.createPost,
    deletePost: del.deletePost,
    repostPost: reposts.repostPost,
    undoRepost: reposts.undoRepost,
    followUser: follow.followUser,
    unfollowUser: follow.unfollowUser,
    muteUser: mute.muteUser,
    unmuteUser: mute.unmuteUser,
    blockUser: block.blockUser,
    unblockUser: block.unblockUser,
    setShowReposts: show.setShowReposts,
    flagSuperstar: superstars.flagSuperstar,
    getHomeFeed: home.getHomeFeed,
    deleteTimeline: store.deleteTimeline,
  };
}

type Op =
  | "post" | "reply" | "repost" | "undo" | "delete" | "follow" | "unfollow" | "reposts-off" | "reposts-on"
  | "mute" | "unmute" | "block" | "unblock" | "flag" | "expire" | "flush" | "read" | "settle";
const WEIGHTS: Array<[Op, number]> = [
  ["post", 22], ["reply", 10], ["repost", 16], ["undo", 6], ["delete", 5], ["follow", 18], ["unfollow", 6],
  ["reposts-off", 2], ["reposts-on", 2], ["mute", 2], ["unmute", 2], ["block", 1], ["unblock", 1],
  ["flag", 1], ["expire", 4], ["flush", 1], ["read", 22], ["settle", 8],
];

/** What a user may be refused while racing others (a post deleted or an author blocking meanwhile). */
async function refusable(app: FeedApp, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof app.AppError && [404, 409, 422].includes(error.status))) throw error;
  }
}

export interface ModelRun {
  seed: number;
  steps: number;
  users: number;
  /** Settles the background work (the feed engine's `settle`). */
  settle(): Promise<void>;
  /**
   * The app copies the operations go through. Called inside the run's environment (its
   * key prefix and cap), so a copy loaded here reads that environment.
   */
  apps(): Promise<FeedApp[]>;
}

export async function runFeedModel(run: ModelRun): Promise<void> {
  // Its own key prefix, so "Redis flushed" here cannot touch other test files' keys.
  const prefix = `${process.env.REDIS_KEY_PREFIX ?? ""}model${run.seed}:`;
  await withEnv({ REDIS_KEY_PREFIX: prefix, TIMELINE_CAP: "6", RATE_LIMIT_MULTIPLIER: "1000" }, async () => {
    const apps = await run.apps();
    const rnd = prng(run.seed);
    const users: User[] = await makeUsers(run.users, "m");
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
    // One copy: no draw, so a one-app run replays the same operations as before copies existed.
    const pickApp = (): FeedApp => (apps.length === 1 ? apps[0]! : rnd.pick(apps));
    const log: string[] = [];

    const check = async (who: readonly User[]) => {
      await run.settle();
      for (const u of who) {
        const limit = 1 + rnd.int(7);
        const readers = apps.length === 1 ? [apps[0]!.getHomeFeed] : apps.map((a) => a.getHomeFeed);
        const feed = await readWholeFeed(u.id, limit, readers).catch((error: unknown) => [String(error)]);
        const truth = await groundTruth(u.id);
        if (process.env.FEED_MODEL_DEBUG && JSON.stringify(feed) !== JSON.stringify(truth)) await debugDump(apps[0]!, u.id, limit);
        expect(feed, `feed of ${u.username} (page size ${limit}) after: ${log.slice(-12).join(", ")}`).toEqual(await groundTruth(u.id));
      }
    };

    const step = async (op: Op): Promise<void> => {
      const u = rnd.pick(users);
      const v = rnd.pick(users);
      const app = pickApp();
      switch (op) {
        case "post": {
          const p = await app.createPost({ authorId: u.id, content: `${u.username} says ${rnd.int(1e6)}` });
          live.push(p.id);
          authorOf.set(p.id, u.id);
          return;
        }
        case "reply": {
          if (live.length === 0) return;
          const parent = rnd.pick(live);
          await refusable(app, async () => {
            const p = await app.createPost({ authorId: u.id, content: `${u.username} answers ${rnd.int(1e6)}`, replyToId: parent });
            live.push(p.id);
            authorOf.set(p.id, u.id);
          });
          return;
        }
        case "repost": {
          if (live.length === 0) return;
          const postId = rnd.pick(live);
          await refusable(app, async () => {
            await app.repostPost({ userId: u.id, postId });
            reposted.push({ userId: u.id, postId });
          });
          return;
        }
        case "undo": {
          if (reposted.length === 0) return;
          const r = reposted.splice(rnd.int(reposted.length), 1)[0]!;
          await refusable(app, () => app.undoRepost(r));
          return;
        }
        case "reposts-off":
        case "reposts-on":
          if (u.id !== v.id) await refusable(app, () => app.setShowReposts({ followerId: u.id, username: v.username, showReposts: op === "reposts-on" }));
          return;
        case "mute":
          if (u.id !== v.id) await app.muteUser({ muterId: u.id, username: v.username });
          return;
        case "unmute":
          if (u.id !== v.id) await app.unmuteUser({ muterId: u.id, username: v.username });
          return;
        case "block":
          if (u.id !== v.id) await app.blockUser({ blockerId: u.id, username: v.username });
          return;
        case "unblock":
          if (u.id !== v.id) await app.unblockUser({ blockerId: u.id, username: v.username });
          return;
        case "delete": {
          if (live.length === 0) return;
          const id = live.splice(rnd.int(live.length), 1)[0]!;
          await app.deletePost({ postId: id, userId: authorOf.get(id)! });
          return;
        }
        case "follow":
          if (u.id !== v.id) await refusable(app, () => app.followUser({ followerId: u.id, username: v.username }));
          return;
        case "unfollow":
          await app.unfollowUser({ followerId: u.id, username: v.username });
          return;
        case "flag":
          if (flagged < 2) {
            flagged += 1;
            await app.flagSuperstar({ username: u.username });
          }
          return;
        case "expire":
          await app.deleteTimeline(u.id);
          return;
        case "flush":
          await flushRedisPrefix(prefix);
          return;
        case "read": {
          const page = await app.getHomeFeed({ viewerId: u.id, limit: 1 + rnd.int(5) });
          if (page.nextCursor && rnd.next() < 0.5) await pickApp().getHomeFeed({ viewerId: u.id, cursor: page.nextCursor, limit: 3 });
          return;
        }
        case "settle":
          await check([u]);
      }
    };

    for (let done = 0; done < run.steps; ) {
      // Up to three operations at once, racing each other and the background work.
      const group = Array.from({ length: 1 + rnd.int(3) }, () => chooseOp()).filter((op) => op !== "settle" || done === 0);
      const ops = group.length > 0 ? group : (["settle"] as Op[]);
      log.push(ops.join("+"));
      await Promise.all(ops.map(step));
      done += ops.length;
    }
    await check(users);
    expect(live.length).toBeGreaterThan(0);
  });
}

/** FEED_MODEL_DEBUG: what Redis and Postgres hold for a reader whose feed differs. */
async function debugDump(app: FeedApp, userId: string, limit: number): Promise<void> {
  const sql = getSql();
  const tl = (await getRedis().zrange(timelineKey(userId), 0, -1, { withScores: true })) as Array<string | number>;
  console.log("DEBUG reader", userId, "timeline", JSON.stringify(tl));
  let cursor: string | undefined;
  const shown: string[] = [];
  do {
    const page = await app.getHomeFeed({ viewerId: userId, cursor, limit });
    shown.push(page.items.map((i) => `${i.id}${i.reason ? "<" + i.reason.by.id : ""}@${Date.parse(i.reason?.at ?? i.createdAt)}`).join(" "));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  console.log("DEBUG pages", shown.join(" | "));
  console.log("DEBUG follows", JSON.stringify(await sql`select followee_id, show_reposts, (select is_superstar from users where id = followee_id) from follows where follower_id = ${userId}`));
  console.log("DEBUG reposts", JSON.stringify(await sql`select user_id, post_id, (extract(epoch from created_at)*1000)::int8::text as t from reposts order by created_at`));
  console.log("DEBUG posts", JSON.stringify(await sql`select id, author_id a, reply_to_user_id r, (extract(epoch from created_at)*1000)::int8::text as t, deleted_at is not null as del from posts order by id`));
  console.log("DEBUG mutes", JSON.stringify(await sql`select * from mutes`), "blocks", JSON.stringify(await sql`select * from blocks`));
}
