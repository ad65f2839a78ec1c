import "server-only";
// Which feed model the app runs (FEED_MODEL). "hybrid" is Starling's: ordinary accounts'
// posts are pushed to their followers' timelines, superstars' are pulled from their
// outboxes at read time. "push" pushes everyone's, superstars' included; "pull" keeps no
// timelines and reads the feed from Postgres with the textbook query. The two alternatives
// stay runnable so the benchmarks (bench/) compare all three through the same route, the
// same session check and the same hydration, on the same data.
import { getEnv } from "@/lib/env";

export type FeedModel = "hybrid" | "push" | "pull";

export function feedModel(): FeedModel {
  return getEnv().FEED_MODEL;
}

/** Superstars' posts come from their outboxes at read time (hybrid) instead of timelines. */
export function pullsSuperstars(): boolean {
  return feedModel() === "hybrid";
}

/** Home timelines are kept in Redis at all (every model but pure pull). */
export function keepsTimelines(): boolean {
  return feedModel() !== "pull";
}
