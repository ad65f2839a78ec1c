import "server-only";
// A user's `last_active_at`: the fan-out pushes to recently active followers only
// (lib/feed/fanout.ts). Stamped by their requests (lib/auth/current-user.ts) and by the
// rebuild of their timeline (lib/feed/rebuild.ts: whoever has a timeline must count as
// active, however they got it).
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";

/**
 * Stamps the user active now, unless a stamp younger than `keepMs` is there already (from
 * another request, process or instance): then nothing is written. The column is indexed
 * (users_last_active_idx), so a write is a new row version, an index entry and a WAL flush,
 * where the skipped one is a primary-key probe. Resolves to whether it wrote.
 */
export async function stampActivity(userId: string, keepMs: number): Promise<boolean> {
  const written = await getDb()
    .update(users)
    .set({ lastActiveAt: sql`now()` })
    .where(and(eq(users.id, userId), or(isNull(users.lastActiveAt), lt(users.lastActiveAt, sql`now() - make_interval(secs => ${keepMs / 1000})`))))
    .returning({ id: users.id });
  return written.length > 0;
}
