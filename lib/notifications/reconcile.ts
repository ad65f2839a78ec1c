import "server-only";
// Creating and withdrawing notifications, as reconciliations: each function looks at the
// database as it is now (does the like, repost, follow or post exist?) and makes the
// notification agree — inserted (once: the unique key makes a repeat a no-op) or, while
// still unread, withdrawn. The events only say what to look at, so runs may come twice or
// out of order; the Inngest functions serialise runs per actor (inngest/functions/
// notifications.ts), so a withdrawal always runs after the creation it undoes.
//
// Never for one's own actions, and none for a recipient who muted the actor or who blocked
// or was blocked by them (lib/relationships hiddenFor; checked again when reading, since a
// mute or block may come later).
import { getSql } from "@/db";
import type { NotificationType } from "@/db/schema";
import { hiddenFor } from "@/lib/relationships/queries";
import { parseMentions } from "./mentions";

type Sql = ReturnType<typeof getSql>;

/** What a run did, for the run's output in Inngest. */
export type ReconcileResult = "created" | "unchanged" | "skipped" | "withdrawn";

interface Key {
  recipientId: string;
  type: NotificationType;
  actorId: string;
  postId: string | null;
}

/** A follow: the followee hears of it; an unfollow withdraws it while unread. */
export async function reconcileFollowNotification({ followerId, followeeId }: { followerId: string; followeeId: string }): Promise<ReconcileResult> {
  const sql = getSql();
  const [row] = await sql<[{ live: boolean }]>`
    select exists (select 1 from follows where follower_id = ${followerId} and followee_id = ${followeeId}) as live`;
  const key: Key = { recipientId: followeeId, type: "follow", actorId: followerId, postId: null };
  return row.live ? notify(sql, key) : withdraw(sql, key);
}

/** A like or repost: the post's author hears of it while both the reaction and the post exist. */
export async function reconcileReactionNotification({
  type,
  userId,
  postId,
}: {
  type: "like" | "repost";
  userId: string;
  postId: string;
}): Promise<ReconcileResult> {
  const sql = getSql();
  const reactions = sql(type === "like" ? "likes" : "reposts");
  const [post] = await sql<[{ author_id: string; live: boolean }?]>`
    select p.author_id::text as author_id,
      (p.deleted_at is null and exists (select 1 from ${reactions} r where r.user_id = ${userId} and r.post_id = p.id)) as live
    from posts p where p.id = ${postId}`;
  // No such post (any more): its notifications went with it (on delete cascade).
  if (!post) return "unchanged";
  const key: Key = { recipientId: post.author_id, type, actorId: userId, postId };
  return post.live ? notify(sql, key) : withdraw(sql, key);
}

/**
 * A post: a reply notifies the author of the post it answers, and every `@username` it
 * names is a mention — except the author, unknown names, and the replied-to author (who
 * gets the reply instead). Once the post is deleted, its unread ones are withdrawn.
 */
export async function reconcilePostNotifications({ postId }: { postId: string }): Promise<ReconcileResult> {
  const sql = getSql();
  const [post] = await sql<[{ author_id: string; content: string; reply_to_user_id: string | null; deleted: boolean }?]>`
    select author_id::text as author_id, content, reply_to_user_id::text as reply_to_user_id, deleted_at is not null as deleted
    from posts where id = ${postId}`;
  if (!post) return "unchanged";
  const replyTo = post.reply_to_user_id;
  const mentioned = parseMentions(post.content);

  if (post.deleted) {
    // The recipients are looked up again (the row is still there, soft-deleted), so the
    // delete goes through the unique key's index.
    const withdrawn = await sql`
      delete from notifications n
      where n.recipient_id in (select id from users where username = any(${mentioned}::text[]) union all select ${replyTo}::int8)
        and n.type in ('reply', 'mention') and n.actor_id = ${post.author_id} and coalesce(n.post_id, 0) = ${postId}
        and n.read_at is null`;
    return withdrawn.count > 0 ? "withdrawn" : "unchanged";
  }

  let created = 0;
  if (replyTo) created += (await notify(sql, { recipientId: replyTo, type: "reply", actorId: post.author_id, postId })) === "created" ? 1 : 0;
  if (mentioned.length > 0) {
    // One statement for every mention: the lookup of the names and the insert.
    const inserted = await sql`
      insert into notifications (recipient_id, type, actor_id, post_id)
      select u.id, 'mention', ${post.author_id}::int8, ${postId}::int8 from users u
      where u.username = any(${mentioned}::text[]) and u.deleted_at is null and u.id <> ${post.author_id}::int8
        and u.id is distinct from ${replyTo}::int8
        and not ${hiddenFor(sql, sql`u.id`, sql`${post.author_id}::int8`)}
      on conflict do nothing`;
    created += inserted.count;
  }
  return created > 0 ? "created" : "unchanged";
}

/** Inserts the notification unless it is the actor's own or hidden from the recipient; a repeat is a no-op. */
async function notify(sql: Sql, { recipientId, type, actorId, postId }: Key): Promise<ReconcileResult> {
  if (recipientId === actorId) return "skipped";
  const inserted = await sql`
    insert into notifications (recipient_id, type, actor_id, post_id)
    select ${recipientId}::int8, ${type}, ${actorId}::int8, ${postId}::int8
    where not ${hiddenFor(sql, sql`${recipientId}::int8`, sql`${actorId}::int8`)}
    on conflict do nothing`;
  return inserted.count > 0 ? "created" : "unchanged";
}

/** Deletes the notification if it is still unread: one that was read stays. */
async function withdraw(sql: Sql, { recipientId, type, actorId, postId }: Key): Promise<ReconcileResult> {
  const deleted = await sql`
    delete from notifications
    where recipient_id = ${recipientId} and type = ${type} and actor_id = ${actorId}
      and coalesce(post_id, 0) = coalesce(${postId}::int8, 0) and read_at is null`;
  return deleted.count > 0 ? "withdrawn" : "unchanged";
}
