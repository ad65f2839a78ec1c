import "server-only";
// Reading mutes, blocks and where a viewer stands with a user. They are checked on hot
// paths (every feed page, every profile and post view), so each check is a primary-key probe.
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { getDb, getSql, type Database, type Tx } from "@/db";
import { blocks, users } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { userColumns, type UserRow } from "@/lib/users/dto";
import { canonicalUsername } from "@/lib/users/lookup";

type Sql = ReturnType<typeof getSql>;

/** Whether `userId` blocked `viewerId`: then, to the viewer, the user and their posts do not exist. */
export async function isBlockedBy({ viewerId, userId }: { viewerId: string; userId: string }): Promise<boolean> {
  const [row] = await getSql()<[{ blocked: boolean }]>`
    select exists (select 1 from blocks where blocker_id = ${userId} and blocked_id = ${viewerId}) as blocked`;
  return row.blocked;
}

/** Whether either of the two blocked the other. */
export async function blockedEitherWay(a: string, b: string): Promise<boolean> {
  const [row] = await getSql()<[{ blocked: boolean }]>`
    select exists (select 1 from blocks where (blocker_id = ${a} and blocked_id = ${b}) or (blocker_id = ${b} and blocked_id = ${a})) as blocked`;
  return row.blocked;
}

/**
 * SQL: true when `viewer` must not see `user`'s posts or reposts in their feed or
 * notifications: the viewer muted or blocked them, or they blocked the viewer. Both
 * arguments are SQL expressions (columns or parameters).
 */
export function hiddenFor(sql: Sql, viewer: ReturnType<Sql>, user: ReturnType<Sql>) {
  return sql`(exists (select 1 from mutes m where m.muter_id = ${viewer} and m.muted_id = ${user})
    or exists (select 1 from blocks b where (b.blocker_id = ${viewer} and b.blocked_id = ${user}) or (b.blocker_id = ${user} and b.blocked_id = ${viewer})))`;
}

/** Where the viewer stands with another user, as the profile page shows it. */
export interface Relationship {
  /** The viewer muted them. */
  muting: boolean;
  /** The viewer blocked them. */
  blocking: boolean;
  /** They blocked the viewer. */
  blockedBy: boolean;
  /** The viewer follows them. */
  following: boolean;
  /** Whether their reposts reach the viewer's home feed (true when not following). */
  showReposts: boolean;
}

/** The viewer's relationship with `userId`, in one query of primary-key probes. */
export async function relationshipOf(viewerId: string, userId: string): Promise<Relationship> {
  const [row] = await getSql()<[{ muting: boolean; blocking: boolean; blocked_by: boolean; show_reposts: boolean | null }]>`
    select
      exists (select 1 from mutes where muter_id = ${viewerId} and muted_id = ${userId}) as muting,
      exists (select 1 from blocks where blocker_id = ${viewerId} and blocked_id = ${userId}) as blocking,
      exists (select 1 from blocks where blocker_id = ${userId} and blocked_id = ${viewerId}) as blocked_by,
      (select show_reposts from follows where follower_id = ${viewerId} and followee_id = ${userId}) as show_reposts`;
  return {
    muting: row.muting,
    blocking: row.blocking,
    blockedBy: row.blocked_by,
    following: row.show_reposts !== null,
    showReposts: row.show_reposts ?? true,
  };
}

/**
 * The user behind a handle as `viewerId` may see them: a 404 `not_found`, exactly as for
 * an unknown handle, when there is no such user or they blocked the viewer. One query.
 */
export async function requireVisibleUser({ username, viewerId, db = getDb() }: { username: string; viewerId?: string | null; db?: Database }): Promise<UserRow> {
  const canonical = canonicalUsername(username);
  if (!canonical) throw notFound("User");
  const blockedViewer = viewerId
    ? sql<boolean>`exists (select 1 from ${blocks} where ${blocks.blockerId} = ${users.id} and ${blocks.blockedId} = ${viewerId})`
    : sql<boolean>`false`;
  const [row] = await db
    .select({ ...userColumns, blockedViewer })
    .from(users)
    .where(and(eq(users.username, canonical), isNull(users.deletedAt)))
    .limit(1);
  if (!row || row.blockedViewer) throw notFound("User");
  const { blockedViewer: _, ...user } = row;
  return user;
}

/** Inside a transaction: which of the two blocked the other. */
export async function blocksBetween(tx: Tx, actorId: string, targetId: string): Promise<{ actorBlocked: boolean; targetBlocked: boolean }> {
  const rows = await tx
    .select({ blockerId: blocks.blockerId })
    .from(blocks)
    .where(
      or(
        and(eq(blocks.blockerId, actorId), eq(blocks.blockedId, targetId)),
        and(eq(blocks.blockerId, targetId), eq(blocks.blockedId, actorId)),
      ),
    );
  return { actorBlocked: rows.some((r) => r.blockerId === actorId), targetBlocked: rows.some((r) => r.blockerId === targetId) };
}
