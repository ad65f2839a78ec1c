-- People search's fuzzy tier as nearest neighbours (lib/search/users.ts): GiST trigram
-- indexes answer ORDER BY <-> / <<-> … LIMIT without scoring every match. Hand-written,
-- like 0006: drizzle-kit does not generate operator-class indexes.
CREATE INDEX IF NOT EXISTS "users_username_trgm_gist" ON "users" USING gist ("username" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "users_display_name_trgm_gist" ON "users" USING gist (lower("display_name") gist_trgm_ops);
