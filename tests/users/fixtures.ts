// Users and follows rows as the users and follows tests check them (the common
// fixtures live in tests/support/fixtures.ts).
import { eq, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { follows, users } from "@/db/schema";

export async function userRow(id: string) {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row!;
}

/** The follows rows of a pair (0 or 1). */
export async function followRows(followerId: string, followeeId: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(follows)
    .where(sql`${follows.followerId} = ${followerId} and ${follows.followeeId} = ${followeeId}`);
  return row!.n;
}

/** The real follows of a user, counted, next to its denormalised counters. */
export async function countersAndRows(userId: string) {
  const row = await userRow(userId);
  const [counted] = await getDb()
    .select({
      followers: sql<number>`count(*) filter (where ${follows.followeeId} = ${userId})::int`,
      following: sql<number>`count(*) filter (where ${follows.followerId} = ${userId})::int`,
    })
    .from(follows)
    .where(or(eq(follows.followeeId, userId), eq(follows.followerId, userId)));
  return { followersCount: row.followersCount, followingCount: row.followingCount, followers: counted!.followers, following: counted!.following };
}
