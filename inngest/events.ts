// Every event Starling sends, declared once with its schema.
import { eventType } from "inngest";
import { z } from "zod";

const id = z.string().regex(/^\d+$/, "ids are decimal strings");

/** Smoke event: proves the event → function → Redis path end to end. */
export const systemPing = eventType("system/ping", {
  schema: z.object({ token: z.string().min(1).max(200) }),
});

export const postCreated = eventType("post/created", {
  schema: z.object({ postId: id, authorId: id, createdAt: z.string() }),
});

export const postDeleted = eventType("post/deleted", {
  schema: z.object({ postId: id, authorId: id }),
});

export const followCreated = eventType("follow/created", {
  schema: z.object({ followerId: id, followeeId: id }),
});

export const followDeleted = eventType("follow/deleted", {
  schema: z.object({ followerId: id, followeeId: id }),
});
