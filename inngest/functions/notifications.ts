// Notifications from domain events. Each run reconciles one notification (or a post's
// reply and mentions) with the database as it is now (lib/notifications/reconcile.ts), so
// duplicates and out-of-order deliveries end right; runs are serialised per actor, so an
// undo's run always comes after the run of what it undoes.
import { inngest } from "@/lib/events/client";
import {
  followCreated,
  followDeleted,
  likeCreated,
  likeDeleted,
  postCreated,
  postDeleted,
  repostCreated,
  repostDeleted,
} from "@/lib/events/schemas";
import { reconcileFollowNotification, reconcilePostNotifications, reconcileReactionNotification } from "@/lib/notifications/reconcile";

export const notifyFollow = inngest.createFunction(
  { id: "notify-follow", triggers: [followCreated, followDeleted], retries: 20, concurrency: { key: "event.data.followerId", limit: 1 } },
  async ({ event }) => ({ result: await reconcileFollowNotification(event.data) }),
);

export const notifyLike = inngest.createFunction(
  { id: "notify-like", triggers: [likeCreated, likeDeleted], retries: 20, concurrency: { key: "event.data.userId", limit: 1 } },
  async ({ event }) => ({ result: await reconcileReactionNotification({ type: "like", userId: event.data.userId, postId: event.data.postId }) }),
);

export const notifyRepost = inngest.createFunction(
  { id: "notify-repost", triggers: [repostCreated, repostDeleted], retries: 20, concurrency: { key: "event.data.userId", limit: 1 } },
  async ({ event }) => ({ result: await reconcileReactionNotification({ type: "repost", userId: event.data.userId, postId: event.data.postId }) }),
);

/** Replies and mentions of a new post; withdrawn (while unread) when it is deleted. */
export const notifyPost = inngest.createFunction(
  { id: "notify-post", triggers: [postCreated, postDeleted], retries: 20, concurrency: { key: "event.data.authorId", limit: 1 } },
  async ({ event }) => ({ result: await reconcilePostNotifications({ postId: event.data.postId }) }),
);

/** Every notification function, for inngest/index.ts. */
export const notificationFunctions = [notifyFollow, notifyLike, notifyRepost, notifyPost];
