// What the notifications tests check: the rows as they are in the table, and mutes and
// blocks written straight to theirs (their own API is not what these tests are about).
import { getSql } from "@/db";

export interface NotificationRow {
  id: string;
  type: string;
  actorId: string;
  postId: string | null;
  read: boolean;
}

/** Every notification of the recipient, hidden or not, oldest first. */
export async function rowsOf(recipientId: string): Promise<NotificationRow[]> {
  return getSql()<NotificationRow[]>`
    select id::text as id, type, actor_id::text as "actorId", post_id::text as "postId", read_at is not null as read
    from notifications where recipient_id = ${recipientId} order by id`;
}

/** `type:actor[:post]` of each of the recipient's notifications, sorted: easy to compare. */
export async function keysOf(recipientId: string): Promise<string[]> {
  return (await rowsOf(recipientId)).map((r) => [r.type, r.actorId, ...(r.postId ? [r.postId] : [])].join(":")).sort();
}

export async function mute(muterId: string, mutedId: string): Promise<void> {
  await getSql()`insert into mutes (muter_id, muted_id) values (${muterId}, ${mutedId})`;
}

export async function unmute(muterId: string, mutedId: string): Promise<void> {
  await getSql()`delete from mutes where muter_id = ${muterId} and muted_id = ${mutedId}`;
}

export async function block(blockerId: string, blockedId: string): Promise<void> {
  await getSql()`insert into blocks (blocker_id, blocked_id) values (${blockerId}, ${blockedId})`;
}
