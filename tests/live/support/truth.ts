// The Live feed's ground truth, written straight in SQL as the API contract states it: what
// the viewer's followed hosts' sessions were at a moment M, in the contract's order.
import { getSql } from "@/db";
import type { LiveSessionDto } from "@/lib/live/dto";

/** What the viewer's followed hosts' sessions were at M, in the contract's order, as `id:status:startedMs:endedMs`. */
export async function truthAt(viewerId: string, moment: number): Promise<string[]> {
  const m = getSql()`(timestamptz 'epoch' + ${String(moment)}::int8 * interval '1 millisecond')`;
  const rows = await getSql()<Array<{ id: string; st: string; started: string | null; ended: string | null }>>`
    with s as (
      select s.*, case when s.ended_at <= ${m} then 'ended' when s.started_at <= ${m} then 'live' else 'upcoming' end as st
      from live_sessions s
      where s.host_id in (select followee_id from follows where follower_id = ${viewerId})
        and s.created_at <= ${m} and (s.cancelled_at is null or s.cancelled_at > ${m})
    )
    select id::text as id, st,
      case when st <> 'upcoming' then (extract(epoch from started_at) * 1000)::int8::text end as started,
      case when st = 'ended' then (extract(epoch from ended_at) * 1000)::int8::text end as ended
    from s
    order by case st when 'live' then 0 when 'upcoming' then 1 else 2 end,
      case st when 'live' then started_at when 'ended' then ended_at end desc nulls last,
      case when st = 'upcoming' then scheduled_at end asc,
      case when st = 'upcoming' then s.id end asc,
      s.id desc`;
  return rows.map((r) => `${r.id}:${r.st}:${r.started ?? "-"}:${r.ended ?? "-"}`);
}

/** A session as the truth lists it. */
export const shown = (s: LiveSessionDto) => `${s.id}:${s.status}:${s.startedAt ? Date.parse(s.startedAt) : "-"}:${s.endedAt ? Date.parse(s.endedAt) : "-"}`;
