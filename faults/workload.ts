// The workload: a group of members with a random follow graph, and traffic that runs
// through every fault (feed reads with paging, posts, deletes, follows, unfollows, likes).
// Each worker acts for its own members only, so one member's writes never race each other.
import type { Client } from "./http";
import type { Ledger } from "./ledger";
import { changeFollow, createMember, deleteOwnPost, follow, like, post, readFeed, type Member } from "./ops";
import type { Rng } from "./rng";

export async function createMembers(client: Client, count: number, prefix: string): Promise<Member[]> {
  const members: Member[] = [];
  // A few at a time: registration and log-in each spend ~50 ms in argon2.
  for (let i = 0; i < count; i += 4) {
    const batch = Array.from({ length: Math.min(4, count - i) }, (_, j) => `${prefix}_${i + j}`);
    members.push(...(await Promise.all(batch.map((name) => createMember(client, name)))));
  }
  return members;
}

/** Each member follows `followsEach` others (a few are popular) and posts `postsEach` times. */
export async function seedGraph(
  ctx: { client: Client; ledger: Ledger; rng: Rng },
  members: readonly Member[],
  opts: { followsEach: number; postsEach: number },
): Promise<void> {
  // Skewed: low indexes are followed more, so some fan-outs are wider than others.
  const popular = (rng: Rng) => members[Math.floor(members.length * rng.next() ** 2)]!;
  await Promise.all(
    members.map(async (member) => {
      const targets = new Set<Member>();
      for (let tries = 0; targets.size < opts.followsEach && tries < 50; tries++) {
        const target = popular(ctx.rng);
        if (target.id !== member.id) targets.add(target);
      }
      for (const target of targets) await follow(ctx.client, ctx.ledger, member, target);
      for (let i = 0; i < opts.postsEach; i++) await post(ctx.client, ctx.ledger, member);
    }),
  );
}

export const TRAFFIC_MIX = { feed: 45, post: 28, follow: 9, delete: 6, like: 12 };

export interface Traffic {
  /** Stops the workers after their current request; resolves with how many operations ran. */
  stop(): Promise<number>;
}

export function startTraffic(
  ctx: { client: Client; ledger: Ledger; rng: Rng },
  members: readonly Member[],
  opts: { workers: number; maxOps: number; pauseMs?: number; mix?: Record<string, number> },
): Traffic {
  let stopping = false;
  let ops = 0;
  const mix = opts.mix ?? TRAFFIC_MIX;
  const worker = async (index: number) => {
    const own = members.filter((_, i) => i % opts.workers === index);
    while (!stopping && ops < opts.maxOps && own.length > 0) {
      ops++;
      await runOne(ctx, ctx.rng.pick(own)!, members, ctx.rng.weighted(mix));
      if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
    }
  };
  const running = Promise.all(Array.from({ length: opts.workers }, (_, i) => worker(i)));
  return {
    async stop() {
      stopping = true;
      await running;
      return ops;
    },
  };
}

export async function runOne(ctx: { client: Client; ledger: Ledger; rng: Rng }, member: Member, members: readonly Member[], kind: string): Promise<void> {
  const { client, ledger, rng } = ctx;
  if (kind === "feed") await readFeed(client, rng, member);
  else if (kind === "post") await post(client, ledger, member);
  else if (kind === "follow") await changeFollow(client, ledger, rng, member, members);
  else if (kind === "delete") await deleteOwnPost(client, ledger, rng, member);
  else if (kind === "like") await like(client, ledger, rng, member);
  else throw new Error(`unknown operation ${kind}`);
}

/** `posts` posts and `reads` first-page feed reads, all in flight at once. */
export async function burst(ctx: { client: Client; ledger: Ledger; rng: Rng }, members: readonly Member[], opts: { posts: number; reads: number }): Promise<void> {
  const jobs: Array<Promise<unknown>> = [];
  for (let i = 0; i < opts.posts; i++) jobs.push(post(ctx.client, ctx.ledger, members[i % members.length]!));
  for (let i = 0; i < opts.reads; i++) jobs.push(readFeed(ctx.client, ctx.rng, members[i % members.length]!, 1));
  await Promise.all(jobs);
}
