// Every write the app acknowledged (a 2xx), which Postgres must hold whatever happened
// afterwards. A write that failed (5xx, timeout, dropped connection) may or may not have
// happened: it makes the item "uncertain" and is never counted as lost; a 4xx is a refusal
// and changes nothing. Each member's writes come from one worker at a time, so "the last
// acknowledged write" of a follow or a delete is well defined.
import type { Sql } from "postgres";
import type { Outcome } from "./http";

type PostState = "live" | "deleted" | "uncertain";

const pairKey = (followerId: string, followeeId: string) => `${followerId}>${followeeId}`;

export class Ledger {
  readonly posts = new Map<string, { authorId: string; state: PostState }>();
  /** Believed follow state per follower>followee; `certain` false after a failed write. */
  readonly follows = new Map<string, { following: boolean; certain: boolean }>();
  readonly likes = new Set<string>();

  notePost(id: string, authorId: string): void {
    this.posts.set(id, { authorId, state: "live" });
  }

  noteDelete(id: string, outcome: Outcome): void {
    const post = this.posts.get(id);
    if (!post) return;
    if (outcome === 204) post.state = "deleted";
    else if (!isRefusal(outcome)) post.state = "uncertain";
  }

  noteFollow(followerId: string, followeeId: string, following: boolean, outcome: Outcome): void {
    if (outcome === 200) this.follows.set(pairKey(followerId, followeeId), { following, certain: true });
    else if (!isRefusal(outcome)) {
      const previous = this.follows.get(pairKey(followerId, followeeId));
      this.follows.set(pairKey(followerId, followeeId), { following: previous?.following ?? following, certain: false });
    }
  }

  noteLike(userId: string, postId: string): void {
    this.likes.add(`${userId}:${postId}`);
  }

  /** Whom the follower is believed to follow (acknowledged or not). */
  followees(followerId: string): string[] {
    const out: string[] = [];
    for (const [key, state] of this.follows) {
      const [a, b] = key.split(">");
      if (a === followerId && state.following) out.push(b!);
    }
    return out;
  }

  livePosts(authorId?: string): string[] {
    const out: string[] = [];
    for (const [id, post] of this.posts) if (post.state === "live" && (!authorId || post.authorId === authorId)) out.push(id);
    return out;
  }

  writes(): number {
    return this.posts.size + this.follows.size + this.likes.size;
  }
}

/** A 4xx: the app refused the write, so nothing happened. */
const isRefusal = (outcome: Outcome) => typeof outcome === "number" && outcome >= 400 && outcome < 500;

/** Acknowledged writes Postgres does not reflect, described one per line. */
export async function findLostWrites(sql: Sql, ledger: Ledger): Promise<string[]> {
  const lost: string[] = [];
  const ids = [...ledger.posts.keys()];
  const rows = await sql<Array<{ id: string; deleted: boolean }>>`
    select id::text as id, deleted_at is not null as deleted from posts where id = any(${ids}::bigint[])`;
  const stored = new Map(rows.map((r) => [r.id, r.deleted]));
  for (const [id, post] of ledger.posts) {
    const deleted = stored.get(id);
    if (deleted === undefined) lost.push(`post ${id}: acknowledged (201) but not in Postgres`);
    else if (post.state === "deleted" && !deleted) lost.push(`post ${id}: delete acknowledged (204) but the post is live`);
    else if (post.state === "live" && deleted) lost.push(`post ${id}: deleted although no delete was sent`);
  }

  const follows = await sql<Array<{ key: string }>>`select follower_id::text || '>' || followee_id::text as key from follows`;
  const present = new Set(follows.map((r) => r.key));
  for (const [key, state] of ledger.follows) {
    if (!state.certain || state.following === present.has(key)) continue;
    lost.push(`follow ${key}: ${state.following ? "follow" : "unfollow"} acknowledged but Postgres says otherwise`);
  }

  const likes = await sql<Array<{ key: string }>>`select user_id::text || ':' || post_id::text as key from likes`;
  const liked = new Set(likes.map((r) => r.key));
  for (const key of ledger.likes) if (!liked.has(key)) lost.push(`like ${key}: acknowledged but not in Postgres`);
  return lost;
}
