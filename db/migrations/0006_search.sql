-- Search (hand-written: drizzle-kit does not generate extensions or operator-class indexes).
-- pg_trgm is a trusted extension shipped with every Postgres, the embedded one included.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- People: prefix (LIKE 'q%') and fuzzy (%, <%) matches on the handle (already lower-case)
-- and on the display name as typed in any case.
CREATE INDEX IF NOT EXISTS "users_username_trgm_idx" ON "users" USING gin ("username" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "users_display_name_trgm_idx" ON "users" USING gin (lower("display_name") gin_trgm_ops);--> statement-breakpoint
-- Posts: words and hashtags through full-text search ('simple': no stemming, no stop words,
-- so any language's words match as written), live posts only.
CREATE INDEX IF NOT EXISTS "posts_content_fts_idx" ON "posts" USING gin (to_tsvector('simple'::regconfig, "content")) WHERE "posts"."deleted_at" is null;--> statement-breakpoint
-- Posts: substrings (CJK text has no spaces between words, so a word is any substring).
CREATE INDEX IF NOT EXISTS "posts_content_trgm_idx" ON "posts" USING gin (lower("content") gin_trgm_ops) WHERE "posts"."deleted_at" is null;
