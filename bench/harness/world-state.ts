// A benchmark run changes its world: reads stamp readers' activity, the fan-out scenario
// sets who is active, posts are published and reposted (and their authors notified), a
// host schedules, starts and ends live sessions (and their followers are notified). The
// run snapshots activity first and puts the world back afterwards, so the next run
// measures the same world.
import type postgres from "postgres";
import type { CompleteWorldMeta } from "../world/index";

/** Saves every user's last_active_at (restoring first what a crashed run left changed). */
export async function snapshotActivity(sql: postgres.Sql, log: (line: string) => void): Promise<void> {
  const [{ found }] = await sql<[{ found: boolean }]>`select to_regclass('public.bench_saved_activity') is not null as found`;
  if (found) {
    log("a previous run did not put the world back: restoring its activity snapshot");
    await restoreActivity(sql);
  }
  await sql`create table bench_saved_activity as select id, last_active_at from users`;
}

/**
 * Activity as it was at the snapshot; posts the run published and its reposts deleted
 * (every repost of the world is from before its clock), counters fixed, the live sessions
 * it made deleted, and the notifications they caused deleted.
 */
export async function restoreWorld(sql: postgres.Sql, world: CompleteWorldMeta): Promise<void> {
  await restoreActivity(sql);
  await sql`
    with gone as (delete from reposts where created_at > ${world.clock}::timestamptz returning post_id)
    update posts p set repost_count = p.repost_count - g.n
    from (select post_id, count(*)::int as n from gone group by post_id) g
    where p.id = g.post_id`;
  await sql`delete from notifications where created_at > ${world.clock}::timestamptz`;
  // Every session of the world was created before its clock: the later ones are the run's.
  await sql`delete from live_sessions where created_at > ${world.clock}::timestamptz`;
  // One statement: the deletion and the counters it changes commit together.
  await sql`
    with gone as (delete from posts where id > ${world.maxPostId}::int8 returning author_id)
    update users u set posts_count = u.posts_count - g.n
    from (select author_id, count(*)::int as n from gone group by author_id) g
    where u.id = g.author_id`;
  await sql`analyze users`;
}

async function restoreActivity(sql: postgres.Sql): Promise<void> {
  await sql`
    update users u set last_active_at = s.last_active_at
    from bench_saved_activity s
    where s.id = u.id and u.last_active_at is distinct from s.last_active_at`;
  await sql`drop table bench_saved_activity`;
}
