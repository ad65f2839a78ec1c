CREATE SEQUENCE "public"."live_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "live_sessions" (
	"id" bigint PRIMARY KEY DEFAULT nextval('live_sessions_id_seq') NOT NULL,
	"host_id" bigint NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'upcoming' NOT NULL,
	"scheduled_at" timestamp (3) with time zone NOT NULL,
	"started_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone,
	"cancelled_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_sessions_status" CHECK ("live_sessions"."status" in ('upcoming', 'live', 'ended', 'cancelled')),
	CONSTRAINT "live_sessions_title_length" CHECK (char_length("live_sessions"."title") between 1 and 100),
	CONSTRAINT "live_sessions_times" CHECK (("live_sessions"."status" = 'upcoming' and "live_sessions"."started_at" is null and "live_sessions"."ended_at" is null and "live_sessions"."cancelled_at" is null)
        or ("live_sessions"."status" = 'live' and "live_sessions"."started_at" is not null and "live_sessions"."ended_at" is null and "live_sessions"."cancelled_at" is null)
        or ("live_sessions"."status" = 'ended' and "live_sessions"."started_at" is not null and "live_sessions"."ended_at" is not null and "live_sessions"."cancelled_at" is null)
        or ("live_sessions"."status" = 'cancelled' and "live_sessions"."started_at" is null and "live_sessions"."ended_at" is null and "live_sessions"."cancelled_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_type";--> statement-breakpoint
DROP INDEX "notifications_once_key";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "live_session_id" bigint;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_host_id_users_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "live_sessions_host_active_idx" ON "live_sessions" USING btree ("host_id","status") WHERE "live_sessions"."status" in ('upcoming', 'live');--> statement-breakpoint
CREATE INDEX "live_sessions_host_ended_idx" ON "live_sessions" USING btree ("host_id","ended_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "live_sessions"."status" = 'ended';--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_live_session_id_live_sessions_id_fk" FOREIGN KEY ("live_session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_once_key" ON "notifications" USING btree ("recipient_id","type","actor_id",coalesce("post_id", 0),coalesce("live_session_id", 0));--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_type" CHECK ("notifications"."type" in ('follow', 'like', 'repost', 'reply', 'mention', 'live'));