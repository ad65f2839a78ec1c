import "server-only";
// Moving posts down or out of home timelines: the one way every change that takes a
// reason away is applied (an undone repost, an unfollow, a mute or block, showReposts
// off), and the way a change that adds reasons the push path cannot see is applied (a
// follow, an unmute). Adding alone is easy: ZADD GT, in any order (timeline-store.ts).
// Taking away needs the post's *next* reason, which only Postgres knows; so for each
// (reader, post) the position is computed from Postgres as it is now and written exactly.
//
// Races: a reconcile reads Postgres, then writes Redis; a change that commits in between
// is either missed by this write or overwritten by it. So after writing, Postgres is read
// again, and whatever changed meanwhile is written again, until the two agree. Every
// change runs its own reconcile after it commits, so the last write to each entry is one
// that saw every change before it.
import { getSql } from "@/db";
import { hiddenIds, publicationShown } from "./truth";
import { pullsSuperstars } from "./model";
import { setPositions, timelineRef, type PositionUpdate } from "./timeline-store";

export interface Placement {
  userId: string;
  postId: string;
}

/** The timelines were being rebuilt: the caller retries (an Inngest retry) once they are installed. */
export class TimelineRebuilding extends Error {
  constructor(readonly userIds: string[]) {
    super(`${userIds.length} timeline(s) were being rebuilt; trying again after the install`);
    this.name = "TimelineRebuilding";
  }
}

const MAX_ROUNDS = 6;

/** Puts each (reader, post) at its position per Postgres, or out. */
export async function reconcilePlacements(placements: readonly Placement[]): Promise<void> {
  let pending = dedupe(placements);
  const rebuilding = new Set<string>();
  for (let round = 0; pending.length > 0; round++) {
    if (round === MAX_ROUNDS) throw new Error(`timeline positions kept changing for ${pending.length} placement(s)`);
    const written = await timelinePositions(pending);
    const byUser = new Map<string, PositionUpdate[]>();
    for (const p of pending) {
      const list = byUser.get(p.userId) ?? [];
      list.push({ id: p.postId, t: written.get(key(p)) ?? null });
      byUser.set(p.userId, list);
    }
    const users = [...byUser.keys()];
    const results = await setPositions(users.map((u) => ({ ref: timelineRef(u), updates: byUser.get(u)! })));
    const resultOf = new Map(users.map((u, i) => [u, results[i]]));
    for (const [u, result] of resultOf) if (result === "rebuilding") rebuilding.add(u);
    // Only what was written can be stale.
    const settled = pending.filter((p) => resultOf.get(p.userId) === "written");
    const now = await timelinePositions(settled);
    pending = settled.filter((p) => (now.get(key(p)) ?? null) !== (written.get(key(p)) ?? null));
  }
  if (rebuilding.size > 0) throw new TimelineRebuilding([...rebuilding]);
}

const key = (p: Placement) => `${p.userId}:${p.postId}`;

function dedupe(placements: readonly Placement[]): Placement[] {
  const seen = new Map(placements.map((p) => [key(p), p]));
  return [...seen.values()];
}

/**
 * Each placement's position in its reader's home timeline per Postgres: the newest pushed
 * reason (truth.ts), in ms, keyed `${userId}:${postId}`; absent when the post has none for
 * that reader.
 */
export async function timelinePositions(placements: readonly Placement[]): Promise<Map<string, number>> {
  if (placements.length === 0) return new Map();
  const sql = getSql();
  const pulled = pullsSuperstars();
  const reader = sql`x.u`;
  const rows = await sql<Array<{ u: string; p: string; t: string | null }>>`
    select x.u::text as u, x.p::text as p, (extract(epoch from greatest(pub.at, rep.at)) * 1000)::int8::text as t
    from unnest(${placements.map((p) => p.userId)}::int8[], ${placements.map((p) => p.postId)}::int8[]) as x(u, p)
    join posts p on p.id = x.p and p.deleted_at is null
    join users au on au.id = p.author_id
    cross join lateral (select ${hiddenIds(sql, reader)} as ids) hidden
    cross join lateral (
      select case when ${publicationShown(sql, reader, sql`exists (select 1 from follows f where f.follower_id = x.u and f.followee_id = p.author_id)`)}
        and (p.author_id = x.u or (${pulled ? sql`not au.is_superstar and` : sql``} p.author_id <> all(hidden.ids)))
      then p.created_at end as at
    ) pub
    cross join lateral (
      select max(r.created_at) as at from reposts r
      join follows f on f.follower_id = x.u and f.followee_id = r.user_id and f.show_reposts
      ${pulled ? sql`join users ru on ru.id = r.user_id and not ru.is_superstar` : sql``}
      where r.post_id = x.p and r.user_id <> all(hidden.ids) and (p.author_id = x.u or p.author_id <> all(hidden.ids))
    ) rep
    where greatest(pub.at, rep.at) is not null`;
  return new Map(rows.map((r) => [`${r.u}:${r.p}`, Number(r.t)]));
}
