// Postgres is the source of truth; Redis timelines are caches rebuilt from these tables.
// Ids are int8 in the database and strings in TypeScript, so they survive JSON and Redis
// members without precision loss.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  index,
  integer,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
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
    createdAt: timestampMs("created_at").notNull().defaultNow(),
    updatedAt: timestampMs("updated_at").notNull().defaultNow(),
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
    check("posts_content_length", sql`char_length(${t.content}) between 1 and 2000`),
    check(
      "posts_counts_nonnegative",
      sql`${t.likeCount} >= 0 and ${t.replyCount} >= 0 and ${t.repostCount} >= 0`,
    ),
  ],
);

export type Post = typeof posts.$inferSelect;
export type NewPost = typeof posts.$inferInsert;

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
