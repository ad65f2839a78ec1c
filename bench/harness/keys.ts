// The app's Redis keys as the harness reads or primes them directly (timelines, replay
// queues, the fan-out's lag samples): built by the app's own rule (lib/redis.ts
// `<prefix><kind>:{<owner>}[:<sibling>]`, the owner a Cluster hash tag) with the prefix of
// the model's app, so a change of layout there cannot leave the harness watching keys
// nobody writes.
import { hashTag } from "../../lib/redis";

export function appKey(prefix: string, kind: string, owner?: string | number, ...siblings: Array<string | number>): string {
  if (owner === undefined) return prefix + kind;
  return [`${prefix}${kind}:${hashTag(owner)}`, ...siblings].join(":");
}
