import "server-only";
// Go-live notifications: when a host starts a session, each of their followers gets a
// `live` notification (actor = the host, live_session_id set, no post), in one INSERT …
// SELECT over the host's followers — never for a follower who muted the host or who
// blocked or was blocked by them. The unique key makes a repeated run a no-op.
import { getSql } from "@/db";
import { hiddenFor } from "@/lib/relationships/queries";

/** Notifies the followers of the session's host that it went live; returns how many were notified. */
export async function notifyGoLive({ sessionId }: { sessionId: string }): Promise<number> {
  const sql = getSql();
  const inserted = await sql`
    insert into notifications (recipient_id, type, actor_id, live_session_id, created_at)
    select f.follower_id, 'live', s.host_id, s.id, s.started_at
    from live_sessions s join follows f on f.followee_id = s.host_id
    where s.id = ${sessionId} and s.started_at is not null
      and not ${hiddenFor(sql, sql`f.follower_id`, sql`s.host_id`)}
    on conflict do nothing`;
  return inserted.count;
}
