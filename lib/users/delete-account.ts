import "server-only";
// Deleting an account (Settings → Delete account, POST /api/v1/me/delete). Everything the account
// made goes, in one transaction with the usual events, so every feed, list, counter and
// notification follows the way it would after the same actions one by one:
// - its posts are soft-deleted (post/deleted each; reads skip them at once everywhere),
// - its follows both ways are removed with both counters (follow/deleted each: every former
//   follower's timeline is reconciled, losing the account's posts and reposts),
// - its likes and reposts are undone with the posts' counters (like/deleted, repost/deleted:
//   a post it reposted moves back to its next reason in every feed),
// - notifications to and from it, mutes and blocks both ways, its live sessions and its
//   sessions are deleted; its media objects are removed from storage after the commit.
// The users row stays as a tombstone (deleted_at set, email released, no password, name and
// bio cleared): others' replies still answer its posts ("Replying to @x" must not turn a
// reply into a top-level post), and a handle never passes to someone else, as on Mastodon.
// Every lookup by handle treats a tombstone as unknown (404).
import { sql } from "drizzle-orm";
import { z } from "zod";
import { getSql, type Tx } from "@/db";
import { transactWithEvents, type DomainEvent } from "@/lib/events/outbox";
import { followDeleted, likeDeleted, postDeleted, repostDeleted } from "@/lib/events/schemas";
import { notFound } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { parseInput } from "@/lib/validation";
import { verifyPassword } from "@/lib/auth/password";
import { wrongPassword } from "@/lib/auth/change-password";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { deleteOwnedMedia, releaseOwnedMedia } from "@/lib/media/owned";

export const deleteAccountSchema = z.object({
  password: z.string({ error: "Enter your password to confirm." }).min(1, "Enter your password to confirm.").max(1000),
});
export type DeleteAccountInput = z.input<typeof deleteAccountSchema>;

export interface DeletedAccount {
  posts: number;
  follows: number;
  likes: number;
  reposts: number;
}

/** Deletes the account after checking its password (403 `wrong_password`). Not undoable. */
export async function deleteAccount({ userId, ...input }: DeleteAccountInput & { userId: string }): Promise<DeletedAccount> {
  const { password } = parseInput(deleteAccountSchema, input);
  // A stolen session guessing the password is a login attempt by another door.
  await enforceRateLimit("login", `delete-account|${userId}`);
  const rows = await readAccount(userId);
  if (!rows) throw notFound("User");
  if (!(await verifyPassword(rows.passwordHash, password))) throw wrongPassword();

  const { summary, mediaKeys } = await withDeadlockRetry(() =>
    transactWithEvents(async (tx, publish) => {
      // The row lock orders this against follows, posts and reactions of the account: they
      // lock or update the same row, and after the commit they see the tombstone.
      const locked = await tx.execute<{ id: string }>(sql`
        select id from users where id = ${userId} and deleted_at is null for update`);
      if (locked.length === 0) throw notFound("User");
      const mediaKeys = await releaseOwnedMedia(tx, userId);
      const summary: DeletedAccount = {
        posts: await deletePosts(tx, publish, userId),
        follows: await deleteFollows(tx, publish, userId),
        likes: await undoReactions(tx, publish, userId, "likes"),
        reposts: await undoReactions(tx, publish, userId, "reposts"),
      };
      await tx.execute(sql`delete from notifications where recipient_id = ${userId} or actor_id = ${userId}`);
      await tx.execute(sql`delete from mutes where muter_id = ${userId} or muted_id = ${userId}`);
      await tx.execute(sql`delete from blocks where blocker_id = ${userId} or blocked_id = ${userId}`);
      await tx.execute(sql`delete from live_sessions where host_id = ${userId}`);
      await revokeUserSessions({ userId }, tx);
      await tx.execute(sql`
        update users set deleted_at = now(), updated_at = now(), email = 'deleted-' || id || '@deleted.invalid',
          password_hash = '', display_name = 'Deleted account', bio = '', is_superstar = false,
          posts_count = 0, followers_count = 0, following_count = 0
        where id = ${userId}`);
      return { summary, mediaKeys };
    }),
  );
  // After the commit: an object whose row is gone is garbage, never a broken reference.
  await deleteOwnedMedia(mediaKeys).catch((error: unknown) => {
    console.error("removing a deleted account's media from storage failed", { userId, error });
  });
  return summary;
}

async function readAccount(userId: string): Promise<{ passwordHash: string } | undefined> {
  const [row] = await getSql()<[{ password_hash: string }?]>`
    select password_hash from users where id = ${userId} and deleted_at is null`;
  return row ? { passwordHash: row.password_hash } : undefined;
}

type Publish = (event: DomainEvent) => void;

/** Soft-deletes the account's live posts; the parents of its replies lose those replies from their counts. */
async function deletePosts(tx: Tx, publish: Publish, userId: string): Promise<number> {
  const gone = await tx.execute<{ id: string; reply_to_id: string | null }>(sql`
    update posts set deleted_at = now() where author_id = ${userId} and deleted_at is null
    returning id::text, reply_to_id::text`);
  const parents = new Map<string, number>();
  for (const post of gone) if (post.reply_to_id) parents.set(post.reply_to_id, (parents.get(post.reply_to_id) ?? 0) + 1);
  if (parents.size > 0) {
    // A separate statement: a parent may be one of the posts just deleted (a self-thread).
    await tx.execute(sql`
      update posts p set reply_count = greatest(p.reply_count - d.n, 0)
      from unnest(${pgArray([...parents.keys()])}::int8[], ${pgArray([...parents.values()])}::int[]) as d(id, n) where p.id = d.id`);
  }
  for (const post of gone) publish(postDeleted.create({ postId: post.id, authorId: userId }));
  return gone.length;
}

/** Removes the account's follows both ways, each with its two counters and its event. */
async function deleteFollows(tx: Tx, publish: Publish, userId: string): Promise<number> {
  const gone = await tx.execute<{ follower_id: string; followee_id: string }>(sql`
    delete from follows where follower_id = ${userId} or followee_id = ${userId}
    returning follower_id::text, followee_id::text`);
  // Someone can be both a follower and a followee of the account: one row per user, both deltas.
  const deltas = new Map<string, { followers: number; following: number }>();
  for (const f of gone) {
    const [other, field] = f.follower_id === userId ? [f.followee_id, "followers" as const] : [f.follower_id, "following" as const];
    const d = deltas.get(other) ?? { followers: 0, following: 0 };
    d[field] += 1;
    deltas.set(other, d);
  }
  if (deltas.size > 0) {
    const ids = [...deltas.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)); // id order, as lockPair locks
    await tx.execute(sql`
      update users u set followers_count = u.followers_count - d.followers, following_count = u.following_count - d.following
      from unnest(${pgArray(ids)}::int8[], ${pgArray(ids.map((id) => deltas.get(id)!.followers))}::int[], ${pgArray(ids.map((id) => deltas.get(id)!.following))}::int[])
        as d(id, followers, following)
      where u.id = d.id`);
  }
  for (const f of gone) publish(followDeleted.create({ followerId: f.follower_id, followeeId: f.followee_id }));
  return gone.length;
}

/** Undoes every like or repost of the account, each post's counter moved by one, as an undo would. */
async function undoReactions(tx: Tx, publish: Publish, userId: string, table: "likes" | "reposts"): Promise<number> {
  const counter = sql.raw(table === "likes" ? "like_count" : "repost_count");
  // (user, post) is the key: each post appears once, so the join moves each counter by one.
  const gone = await tx.execute<{ post_id: string; t: string }>(sql`
    with gone as (delete from ${sql.raw(table)} where user_id = ${userId} returning post_id, created_at),
    counted as (update posts p set ${counter} = p.${counter} - 1 from gone where p.id = gone.post_id)
    select post_id::text, (extract(epoch from created_at) * 1000)::int8::text as t from gone`);
  for (const r of gone) {
    const data = { userId, postId: r.post_id, t: Number(r.t) };
    publish(table === "likes" ? likeDeleted.create({ userId, postId: r.post_id }) : repostDeleted.create(data));
  }
  return gone.length;
}

/** An array parameter for drizzle's `sql` (which spreads a JS array into a row): ids and counts only. */
const pgArray = (values: readonly (string | number)[]) => `{${values.join(",")}}`;

/**
 * The account's counters are updated on many users rows that concurrent follows lock in
 * their own order; Postgres breaks such a deadlock by failing one side. Ours starts again.
 */
async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      if (code !== "40P01" || attempt >= attempts) throw error;
    }
  }
}
