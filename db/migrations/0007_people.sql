-- Who to follow and the public timeline (hand-written; db/schema.ts does not declare these).
-- The public timeline merges two newest-first index walks: live top-level posts, and every repost.
CREATE INDEX IF NOT EXISTS "posts_public_idx" ON "posts" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "posts"."deleted_at" is null and "posts"."reply_to_id" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reposts_created_idx" ON "reposts" USING btree ("created_at" DESC NULLS FIRST,"post_id" DESC NULLS FIRST,"user_id" DESC NULLS FIRST);--> statement-breakpoint
-- Suggestions are topped up with the most-followed accounts: a walk down this index.
CREATE INDEX IF NOT EXISTS "users_popular_idx" ON "users" USING btree ("followers_count" DESC NULLS FIRST,"id" DESC NULLS FIRST);
