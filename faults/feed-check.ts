// After a fault has healed and settled: every member's home feed, paged through the
// cursor as a client pages it, against the truth Postgres defines (own posts and
// followees' posts, not deleted, newest first by (created_at, id)).
import type { Sql } from "postgres";
import { call, type Client } from "./http";
import type { Member } from "./ops";

export interface FeedDiff {
  members: number;
  /** Entries of the truth missing from the feed, summed over members. */
  missing: number;
  extra: number;
  duplicated: number;
  /** Members whose feed held the right entries in the wrong order. */
  misordered: number;
  /** Members whose feed could not be read to its end. */
  unreadable: number;
  examples: string[];
}

export const feedOk = (diff: FeedDiff) => diff.missing + diff.extra + diff.duplicated + diff.misordered + diff.unreadable === 0;

export async function truthFeed(sql: Sql, userId: string): Promise<string[]> {
  const rows = await sql<Array<{ id: string }>>`
    select p.id::text as id from posts p
    where p.deleted_at is null
      and (p.author_id = ${userId} or p.author_id in (select followee_id from follows where follower_id = ${userId}))
    order by p.created_at desc, p.id desc`;
  return rows.map((r) => r.id);
}

/** The whole feed through the cursor; a page that fails is retried a few times. */
export async function pageFeed(client: Client, member: Member, limit: number): Promise<string[] | string> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    let page: { items: Array<{ id: string }>; nextCursor: string | null } | undefined;
    let last: unknown;
    for (let attempt = 0; attempt < 4 && !page; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 1000));
      const res = await call(client, { kind: "check", path: `/api/v1/feed${query}`, cookie: member.cookie });
      if (res.outcome === 200) page = res.body as typeof page;
      else last = res.outcome;
    }
    if (!page) return `page ${pages + 1} answered ${String(last)}`;
    ids.push(...page.items.map((item) => item.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  return "the feed never ended";
}

export async function checkFeeds(sql: Sql, client: Client, members: readonly Member[], limit = 25): Promise<FeedDiff> {
  const diff: FeedDiff = { members: members.length, missing: 0, extra: 0, duplicated: 0, misordered: 0, unreadable: 0, examples: [] };
  const example = (line: string) => diff.examples.length < 6 && diff.examples.push(line);
  for (const member of members) {
    const feed = await pageFeed(client, member, limit);
    if (typeof feed === "string") {
      diff.unreadable++;
      example(`${member.username}: ${feed}`);
      continue;
    }
    const truth = await truthFeed(sql, member.id);
    const inTruth = new Set(truth);
    const inFeed = new Set(feed);
    const missing = truth.filter((id) => !inFeed.has(id));
    const extra = [...inFeed].filter((id) => !inTruth.has(id));
    const duplicated = feed.length - inFeed.size;
    diff.missing += missing.length;
    diff.extra += extra.length;
    diff.duplicated += duplicated;
    if (missing.length + extra.length + duplicated === 0 && feed.join() !== truth.join()) {
      diff.misordered++;
      example(`${member.username}: the right posts in the wrong order`);
    }
    if (missing.length) example(`${member.username}: ${missing.length} missing, e.g. post ${missing[0]}`);
    if (extra.length) example(`${member.username}: ${extra.length} extra, e.g. post ${extra[0]}`);
    if (duplicated) example(`${member.username}: ${duplicated} shown twice`);
  }
  return diff;
}
