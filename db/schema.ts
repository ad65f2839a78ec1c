// Postgres is the source of truth; Redis timelines are caches rebuilt from these tables.
// Indexes Drizzle cannot express are in hand-written migrations: 0006_search.sql (pg_trgm
// and full-text GIN indexes for search) and 0007_people.sql (public timeline, popular users), 0009_people_knn.sql (GiST trigram
// indexes for people search's nearest neighbours).
// Ids are int8 in the database and strings in TypeScript, so they survive JSON and Redis
// members without precision loss.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  type AnyPgColumn,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** A bigint column read and written as a decimal string. */
const int8 = customType<{ data: string; driverData: string }>({
  dataType: () => "bigint",
});

// Milliseconds, not Postgres' default microseconds: a post's feed score is its
// millisecond timestamp, so SQL and Redis must order posts by the same value.
const timestampMs = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

export const userIdSeq = pgSequence("users_id_seq");
export const postIdSeq = pgSequence("posts_id_seq");
export const notificationIdSeq = pgSequence("notifications_id_seq");
export const liveSessionIdSeq = pgSequence("live_sessions_id_seq");
export const mediaIdSeq = pgSequence("media_id_seq");

export const users = pgTable(
  "users",
  {
    id: int8("id").primaryKey().default(sql`nextval('users_id_seq')`),
    // Canonical lower-case handle; the rule (3–30 of a-z, 0-9, _) is enforced here too.
    username: text("username").notNull(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    bio: text("bio").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    isSuperstar: boolean("is_superstar").notNull().default(false),
    // Denormalised so profiles and fan-out never COUNT(*) a million follows.
    followersCount: integer("followers_count").notNull().default(0),
    followingCount: integer("following_count").notNull().default(0),
    postsCount: integer("posts_count").notNull().default(0),
    lastActiveAt: timestampMs("last_active_at"),
    // The storage key of the avatar (lib/media/avatar.ts); null: none, clients draw a fallback.
    avatarKey: text("avatar_key"),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
    updatedAt: timestampMs("updated_at").notNull().defaultNow(),
    // A deleted account's tombstone (lib/users/delete-account.ts): its handle stays reserved
    // and others' replies keep their parent's author; every lookup treats it as unknown.
    deletedAt: timestampMs("deleted_at"),
  },
  (t) => [
    uniqueIndex("users_username_key").on(t.username),
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    // Fan-out pages through followers most-recently-active first.
    index("users_last_active_idx").on(t.lastActiveAt.desc().nullsLast(), t.id.desc()),
    index("users_superstar_idx").on(t.id).where(sql`${t.isSuperstar}`),
    check("users_username_format", sql`${t.username} ~ '^[a-z0-9_]{3,30}$'`),
    check("users_counts_nonnegative", sql`${t.followersCount} >= 0 and ${t.followingCount} >= 0 and ${t.postsCount} >= 0`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export const follows = pgTable(
  "follows",
  {
    followerId: int8("follower_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    followeeId: int8("followee_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
    // Off: the followee's reposts stay out of the follower's home feed.
    showReposts: boolean("show_reposts").notNull().default(true),
  },
  (t) => [
    // "Whom does X follow" (rebuild, superstar merge) is the primary key's prefix;
    // "who follows X" (fan-out, follower lists) has its own index.
    primaryKey({ name: "follows_pkey", columns: [t.followerId, t.followeeId] }),
    index("follows_followee_idx").on(t.followeeId, t.followerId),
    // Follower / following lists, newest follow first, keyset on (created_at, other id).
    index("follows_followee_created_idx").on(t.followeeId, t.createdAt.desc().nullsFirst(), t.followerId.desc().nullsFirst()),
    index("follows_follower_created_idx").on(t.followerId, t.createdAt.desc().nullsFirst(), t.followeeId.desc().nullsFirst()),
    check("follows_not_self", sql`${t.followerId} <> ${t.followeeId}`),
  ],
);

export type Follow = typeof follows.$inferSelect;

export const posts = pgTable(
  "posts",
  {
    id: int8("id").primaryKey().default(sql`nextval('posts_id_seq')`),
    authorId: int8("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    content: text("content").notNull(),
    // A reply: the post it answers, and that post's author, kept on the row so the home
    // feed's reply rule ("do I follow whom this answers?") needs no join to the parent.
    // Both stay set when the parent is soft-deleted.
    replyToId: int8("reply_to_id").references((): AnyPgColumn => posts.id, { onDelete: "set null" }),
    replyToUserId: int8("reply_to_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
    // Soft delete: cursors stay valid and timelines can filter at read time.
    deletedAt: timestampMs("deleted_at"),
    likeCount: integer("like_count").notNull().default(0),
    replyCount: integer("reply_count").notNull().default(0),
    repostCount: integer("repost_count").notNull().default(0),
  },
  (t) => [
    // Keyset pagination of one author's live posts, newest first (profile, rebuild, outbox).
    // NULLS FIRST is what a plain `ORDER BY … DESC` means; Drizzle's .desc() alone renders
    // NULLS LAST, which the planner will not use for such a query.
    index("posts_author_created_idx")
      .on(t.authorId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.deletedAt} is null`),
    // A post's direct replies, oldest first (the thread page).
    index("posts_reply_to_idx").on(t.replyToId, t.createdAt, t.id).where(sql`${t.deletedAt} is null and ${t.replyToId} is not null`),
    // Replies to one user, newest first: merged into a follower's feed when they follow that user.
    index("posts_reply_to_user_idx")
      .on(t.replyToUserId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.deletedAt} is null and ${t.replyToUserId} is not null`),
    // Empty only with images attached (lib/posts/create-post.ts checks that rule).
    check("posts_content_length", sql`char_length(${t.content}) <= 2000`),
    check(
      "posts_counts_nonnegative",
      sql`${t.likeCount} >= 0 and ${t.replyCount} >= 0 and ${t.repostCount} >= 0`,
    ),
  ],
);

export type Post = typeof posts.$inferSelect;
export type NewPost = typeof posts.$inferInsert;

/**
 * Uploaded images (lib/media/). An upload belongs to its owner alone until a post attaches
 * it (post_id set once, in the post's transaction); its objects in storage are `key` (the
 * full-size WebP) and `thumb_key`, both named after the row's id and a random part.
 */
export const media = pgTable(
  "media",
  {
    id: int8("id").primaryKey().default(sql`nextval('media_id_seq')`),
    ownerId: int8("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: int8("post_id").references(() => posts.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    thumbKey: text("thumb_key").notNull(),
    // Of the image at `key`.
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    altText: text("alt_text").notNull().default(""),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
  },
  (t) => [
    // A post's images in upload order: the hydrate query's correlated subquery walks this.
    index("media_post_idx").on(t.postId, t.id).where(sql`${t.postId} is not null`),
    // An owner's uploads (account deletion, unattached clean-up).
    index("media_owner_idx").on(t.ownerId, t.id),
    check("media_alt_text_length", sql`char_length(${t.altText}) <= 1000`),
    check("media_size_positive", sql`${t.width} > 0 and ${t.height} > 0`),
  ],
);

export type Media = typeof media.$inferSelect;

export const likes = pgTable(
  "likes",
  {
    userId: int8("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: int8("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "likes_pkey", columns: [t.userId, t.postId] }),
    index("likes_post_idx").on(t.postId),
  ],
);

export type Like = typeof likes.$inferSelect;

/**
 * A repost: one per (user, post), its time the post's position in the feeds of the
 * reposter's followers. Undo deletes the row; reposting again makes a new one.
 */
export const reposts = pgTable(
  "reposts",
  {
    userId: int8("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: int8("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "reposts_pkey", columns: [t.userId, t.postId] }),
    // One user's reposts, newest first: a superstar's outbox, a follow's merge.
    index("reposts_user_created_idx").on(t.userId, t.createdAt.desc().nullsFirst(), t.postId.desc().nullsFirst()),
    // One post's reposts by time: which followee's repost puts a post at a feed position.
    index("reposts_post_created_idx").on(t.postId, t.createdAt.desc().nullsFirst(), t.userId.desc().nullsFirst()),
  ],
);

export type Repost = typeof reposts.$inferSelect;

/** Mutes: the muted account's posts and reposts leave the muter's feed and notifications. */
export const mutes = pgTable(
  "mutes",
  {
    muterId: int8("muter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    mutedId: int8("muted_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "mutes_pkey", columns: [t.muterId, t.mutedId] }),
    // "Has anyone muted this author?": fan-out filters its batches only then.
    index("mutes_muted_idx").on(t.mutedId, t.muterId),
    check("mutes_not_self", sql`${t.muterId} <> ${t.mutedId}`),
  ],
);

/**
 * Blocks: no follows either way, and the blocked account cannot follow, reply to or see
 * the blocker (404). Looked up both ways: "did I block them", "did they block me".
 */
export const blocks = pgTable(
  "blocks",
  {
    blockerId: int8("blocker_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: int8("blocked_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "blocks_pkey", columns: [t.blockerId, t.blockedId] }),
    index("blocks_blocked_idx").on(t.blockedId, t.blockerId),
    check("blocks_not_self", sql`${t.blockerId} <> ${t.blockedId}`),
  ],
);

export const LIVE_STATUSES = ["upcoming", "live", "ended", "cancelled"] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/**
 * Live sessions: upcoming → live → ended (a replay), or upcoming → cancelled (gone to
 * everyone; the row stays so that what a feed showed at a past moment can be worked out).
 * Each transition's time is kept. The state machine is lib/live/state.ts.
 */
export const liveSessions = pgTable(
  "live_sessions",
  {
    id: int8("id").primaryKey().default(sql`nextval('live_sessions_id_seq')`),
    hostId: int8("host_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    status: text("status").$type<LiveStatus>().notNull().default("upcoming"),
    scheduledAt: timestampMs("scheduled_at").notNull(),
    startedAt: timestampMs("started_at"),
    endedAt: timestampMs("ended_at"),
    cancelledAt: timestampMs("cancelled_at"),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
  },
  (t) => [
    // A host's live and upcoming sessions (their Redis set's rebuild; their profile).
    index("live_sessions_host_active_idx").on(t.hostId, t.status).where(sql`${t.status} in ('upcoming', 'live')`),
    // A host's replays, most recent end first (replay queues' rebuild by pull; their profile).
    index("live_sessions_host_ended_idx")
      .on(t.hostId, t.endedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.status} = 'ended'`),
    // A host's cancelled sessions, most recent first: the Live feed recomputing a past
    // moment's snapshot from Postgres (Redis out) finds those cancelled since.
    index("live_sessions_host_cancelled_idx").on(t.hostId, t.cancelledAt.desc()).where(sql`${t.status} = 'cancelled'`),
    check("live_sessions_status", sql`${t.status} in ('upcoming', 'live', 'ended', 'cancelled')`),
    check("live_sessions_title_length", sql`char_length(${t.title}) between 1 and 100`),
    check(
      "live_sessions_times",
      sql`(${t.status} = 'upcoming' and ${t.startedAt} is null and ${t.endedAt} is null and ${t.cancelledAt} is null)
        or (${t.status} = 'live' and ${t.startedAt} is not null and ${t.endedAt} is null and ${t.cancelledAt} is null)
        or (${t.status} = 'ended' and ${t.startedAt} is not null and ${t.endedAt} is not null and ${t.cancelledAt} is null)
        or (${t.status} = 'cancelled' and ${t.startedAt} is null and ${t.endedAt} is null and ${t.cancelledAt} is not null)`,
    ),
  ],
);

export type LiveSession = typeof liveSessions.$inferSelect;

export const NOTIFICATION_TYPES = ["follow", "like", "repost", "reply", "mention", "live"] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * Notifications, created in the background from domain events. At most one per
 * (recipient, type, actor, post); withdrawn (deleted) by the opposite action while unread.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: int8("id").primaryKey().default(sql`nextval('notifications_id_seq')`),
    recipientId: int8("recipient_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").$type<NotificationType>().notNull(),
    actorId: int8("actor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: int8("post_id").references(() => posts.id, { onDelete: "cascade" }),
    /** For `live`: the session that went live. */
    liveSessionId: int8("live_session_id").references(() => liveSessions.id, { onDelete: "cascade" }),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
    readAt: timestampMs("read_at"),
  },
  (t) => [
    uniqueIndex("notifications_once_key").on(t.recipientId, t.type, t.actorId, sql`coalesce(${t.postId}, 0)`, sql`coalesce(${t.liveSessionId}, 0)`),
    // A recipient's notifications, newest first (keyset on created_at, id).
    index("notifications_recipient_idx").on(t.recipientId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("notifications_unread_idx").on(t.recipientId).where(sql`${t.readAt} is null`),
    check("notifications_type", sql`${t.type} in ('follow', 'like', 'repost', 'reply', 'mention', 'live')`),
    check("notifications_not_self", sql`${t.recipientId} <> ${t.actorId}`),
  ],
);

export type Notification = typeof notifications.$inferSelect;

/**
 * The transactional outbox: every domain event is written here in the same transaction as
 * the change it announces, then relayed to Inngest (lib/events/relay.ts) and deleted once
 * Inngest has accepted it. A row still here has not been delivered yet.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    // The event's id in Inngest, the same for every re-delivery, so Inngest drops repeats.
    // A UUID rather than the sequence: a reset database restarts its sequences, and
    // Inngest remembers event ids for a day.
    id: uuid("id").primaryKey().defaultRandom(),
    // Delivery order.
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    data: jsonb("data").notNull(),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    // When the relay may try (again); a relay claims a row by moving this forward.
    nextAttemptAt: timestampMs("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
  },
  (t) => [index("outbox_events_due_idx").on(t.nextAttemptAt, t.seq)],
);

export type OutboxEvent = typeof outboxEvents.$inferSelect;

/**
 * Server-side session records. The session cookie (an Auth.js JWT) names one of these by
 * id; a cookie whose row is missing or revoked is refused, so signing out, changing the
 * password and "sign out everywhere" end sessions for real, whoever holds a copy.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: int8("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestampMs("created_at").notNull().defaultNow(),
    revokedAt: timestampMs("revoked_at"),
  },
  (t) => [index("sessions_user_idx").on(t.userId).where(sql`${t.revokedAt} is null`)],
);

export type Session = typeof sessions.$inferSelect;
