import "server-only";
// Likes and reposts are both a (user, post) row with a counter on the post: added and
// removed idempotently, the row, the counter and the event (the outbox) in one
// transaction, and the counter moved only when a row really was inserted or deleted, so it
// always equals the number of rows — under concurrent reactions by many users and under a
// reaction racing its undo by the same user.
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { transactWithEvents, type DomainEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import { enforceRateLimit, type RateLimitName } from "@/lib/rate-limit";
import { parsePostId } from "@/lib/posts/ids";

export interface ReactionKind {
  /** The reaction rows: (user_id, post_id, created_at). */
  table: "likes" | "reposts";
  /** The post's counter column. */
  counter: "like_count" | "repost_count";
  rateLimit: RateLimitName;
  created: (data: { userId: string; postId: string; t: number }) => DomainEvent;
  deleted: (data: { userId: string; postId: string; t: number }) => DomainEvent;
}

/** Adds the reaction (a no-op if it exists); returns the post's count. 404 for a deleted post or one whose author blocked the user. */
export async function addReaction(kind: ReactionKind, { userId, postId }: { userId: string; postId: string }): Promise<number> {
  const id = parsePostId(postId);
  await enforceRateLimit(kind.rateLimit, userId);
  return transactWithEvents(async (tx, publish) => {
    await requireVisiblePost(tx, id, userId);
    const table = sql.raw(kind.table);
    const counter = sql.raw(kind.counter);
    const inserted = await tx.execute<{ t: string }>(sql`
      insert into ${table} (user_id, post_id) values (${userId}, ${id}) on conflict do nothing
      returning (extract(epoch from created_at) * 1000)::int8::text as t`);
    if (inserted.length === 0) return currentCount(tx, kind, id);
    // Deleted since the check above: roll the reaction back rather than react to a deleted post.
    const updated = await tx.execute<{ count: number }>(sql`
      update posts set ${counter} = ${counter} + 1 where id = ${id} and deleted_at is null returning ${counter} as count`);
    if (updated.length === 0) throw notFound("Post");
    publish(kind.created({ userId, postId: id, t: Number(inserted[0]!.t) }));
    return updated[0]!.count;
  });
}

/** Removes the reaction (a no-op if there is none); returns the post's count. */
export async function removeReaction(kind: ReactionKind, { userId, postId }: { userId: string; postId: string }): Promise<number> {
  const id = parsePostId(postId);
  await enforceRateLimit(kind.rateLimit, userId);
  return transactWithEvents(async (tx, publish) => {
    await requireVisiblePost(tx, id, userId);
    const table = sql.raw(kind.table);
    const counter = sql.raw(kind.counter);
    const deleted = await tx.execute<{ t: string }>(sql`
      delete from ${table} where user_id = ${userId} and post_id = ${id}
      returning (extract(epoch from created_at) * 1000)::int8::text as t`);
    if (deleted.length === 0) return currentCount(tx, kind, id);
    // No deleted_at condition: the row is gone, so the count must follow, deleted post or not.
    const updated = await tx.execute<{ count: number }>(sql`
      update posts set ${counter} = ${counter} - 1 where id = ${id} returning ${counter} as count`);
    publish(kind.deleted({ userId, postId: id, t: Number(deleted[0]!.t) }));
    return updated[0]!.count;
  });
}

async function requireVisiblePost(tx: Tx, postId: string, userId: string): Promise<void> {
  const rows = await tx.execute(sql`
    select 1 from posts p where p.id = ${postId} and p.deleted_at is null
      and not exists (select 1 from blocks b where b.blocker_id = p.author_id and b.blocked_id = ${userId})`);
  if (rows.length === 0) throw notFound("Post");
}

/** Read after the no-op write, so it includes a concurrent change that made it a no-op. */
async function currentCount(tx: Tx, kind: ReactionKind, postId: string): Promise<number> {
  const rows = await tx.execute<{ count: number }>(sql`select ${sql.raw(kind.counter)} as count from posts where id = ${postId}`);
  return rows[0]?.count ?? 0;
}
