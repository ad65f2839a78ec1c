import "server-only";
// Rebuild by pull: a missing list (a new user, an expired or evicted timeline, a flushed
// Redis) is loaded from Postgres and installed atomically. Single-flight: the first reader
// takes a lease and rebuilds; concurrent readers of the same list wait for it briefly and
// then, rather than pile onto Postgres with more rebuilds, are served from Postgres
// directly. A rebuild that dies leaves a lease that expires, so the list is never stuck.
import { getRedis } from "@/lib/redis";
import { stampActivity } from "@/lib/users/activity";
import { rebuildCountKey } from "./stats";
import { claimRebuild, installList, listKey, releaseLease, timelineCap, type ListRef } from "./timeline-store";
import { loadList } from "./truth";

/** How long a rebuild may hold its lease: far above a rebuild's cost (tens of ms). */
const LEASE_MS = 5_000;
/** How long a reader waits for someone else's rebuild before reading Postgres itself. */
const WAIT_MS = 1_500;
const POLL_MS = 15;

export type EnsureResult = "built" | "waited" | "unavailable";

/** Loads a list from Postgres and installs it while `token` holds its lease. */
export type ListBuilder = (ref: ListRef, token: string) => Promise<void>;

/**
 * Makes sure `ref` exists in Redis, rebuilding it (with `build`: by default the feed's
 * lists from truth.ts) or waiting for the rebuild in flight.
 */
export async function ensureList(ref: ListRef, build: ListBuilder = rebuild): Promise<EnsureResult> {
  const token = crypto.randomUUID();
  // Someone may have installed it since our read (an install frees the lease in the same
  // step): then there is nothing to do.
  const claim = await claimRebuild(ref, token, LEASE_MS);
  if (claim === "present") return "waited";
  if (claim === "acquired") {
    try {
      await build(ref, token);
      return "built";
    } catch (error) {
      await releaseLease(ref, token).catch(() => {});
      throw error;
    }
  }
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if ((await getRedis().exists(listKey(ref))) === 1) return "waited";
  }
  return "unavailable";
}

/**
 * How deep a rebuild reads: ten pages, not the whole cap. The list holds everything from
 * its newest entry down to its oldest (timeline-store.ts), so a shallower list is as exact
 * as a full one: a reader who scrolls past it continues in Postgres, and pushes fill it up
 * to the cap from the top. On the bench world a reader following 50–500 accounts rebuilt
 * in 4.8 ms (379 entries) at the cap of 800, 3.5 ms at 200.
 */
const REBUILD_DEPTH = 200;

async function rebuild(ref: ListRef, token: string): Promise<void> {
  const cap = timelineCap();
  const depth = Math.min(cap, REBUILD_DEPTH);
  const entries = await loadList(ref, undefined, depth);
  // Fewer than asked (the sentinel counts against the cap): this is everything there is.
  const installed = await installList({ ref, token, entries, complete: entries.length < depth, cap });
  if (!installed) return; // the lease ran out; whoever holds it now installs theirs
  await Promise.all([getRedis().incr(rebuildCountKey()), ref.kind === "tl" ? markActive(ref.ownerId) : null]);
}

/**
 * Fan-out pushes to recently active followers only (lib/feed/fanout.ts): whoever has a
 * timeline must count as active, however they got it. A stamp from the last hour is kept
 * (the active window outlasts a timeline's TTL by a day), so a reader whose request has
 * just stamped it (lib/auth/current-user.ts) costs no write here.
 */
async function markActive(userId: string): Promise<void> {
  await stampActivity(userId, 3_600_000);
}
