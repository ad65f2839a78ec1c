import "server-only";
// Which feed model the app runs (FEED_MODEL). "hybrid" is Starling's: ordinary accounts'
// posts are pushed to their followers' timelines, superstars' are pulled from their
// outboxes at read time. "push" pushes everyone's, superstars' included. The two pull
// models keep no timelines and read every page from Postgres: "pull" with the textbook
// query (followees' posts `IN (…)`, sorted, limited: its cost grows with all that the
// followees ever wrote), "pull-merge" as a careful engineer would without Redis: one index
// walk per followee newest-first, merged (truth.ts' loadFeed, the walk a rebuild reads).
// The alternatives stay runnable so the benchmarks (bench/) compare them all through the
// same route, the same session check and the same hydration, on the same data.
import { getEnv } from "@/lib/env";

export type FeedModel = "hybrid" | "push" | "pull" | "pull-merge";

export function feedModel(): FeedModel {
  return getEnv().FEED_MODEL;
}

/** Superstars' posts come from their outboxes at read time (hybrid) instead of timelines. */
export function pullsSuperstars(): boolean {
  return feedModel() === "hybrid";
}

/** Home timelines are kept in Redis at all (every model but the two pure pulls). */
export function keepsTimelines(): boolean {
  const model = feedModel();
  return model !== "pull" && model !== "pull-merge";
}
