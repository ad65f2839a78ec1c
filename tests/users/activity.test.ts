// lib/users/activity.ts: a user's activity stamp is written when it is older than asked
// (or missing), and left alone when another request, process or instance stamped it
// recently: no new row version, no index entry, no WAL flush for nothing.
import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { stampActivity } from "@/lib/users/activity";
import { makeUser } from "../support/fixtures";

const FIVE_MINUTES = 5 * 60_000;

async function stampOf(userId: string): Promise<Date | null> {
  const rows = await getDb().execute<{ at: Date | null }>(sql`select last_active_at as at from users where id = ${userId}`);
  return rows[0]!.at;
}

it("writes a missing or stale stamp and keeps a recent one", async () => {
  const user = await makeUser({ lastActiveAt: null });
  expect(await stampActivity(user.id, FIVE_MINUTES)).toBe(true);
  const first = await stampOf(user.id);
  expect(first).not.toBeNull();

  // Stamped a moment ago (by this call, or by another instance): kept as it is.
  expect(await stampActivity(user.id, FIVE_MINUTES)).toBe(false);
  expect(await stampOf(user.id)).toEqual(first);

  // Ten minutes old: older than the five asked for, so written again; an hour's window keeps it.
  await getDb().execute(sql`update users set last_active_at = now() - interval '10 minutes' where id = ${user.id}`);
  expect(await stampActivity(user.id, 3_600_000)).toBe(false);
  expect(await stampActivity(user.id, FIVE_MINUTES)).toBe(true);
  const again = await stampOf(user.id);
  expect(Date.now() - new Date(again!).getTime()).toBeLessThan(60_000);
});
