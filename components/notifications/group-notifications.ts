// How the notifications page groups what it has loaded: consecutive notifications of the
// same type about the same post (or consecutive follows) become one line, "Ana and 3
// others liked your post". Replies and mentions are each their own post, so they stay single;
// so does a go-live, each about its own session.
import type { LiveSessionDto } from "@/lib/live/dto";
import type { NotificationDto } from "@/lib/notifications/queries";
import type { PostDto, UserLite } from "@/lib/posts/dto";

export interface NotificationGroup {
  /** The newest notification's id: stable while older ones are appended. */
  key: string;
  type: NotificationDto["type"];
  post: PostDto | null;
  /** The session a `live` notification is about (null when it is gone or not given). */
  session: LiveSessionDto | null;
  /** Newest first, each once. */
  actors: UserLite[];
  /** The newest notification's time. */
  createdAt: string;
  /** Whether any of the group was unread when loaded. */
  unread: boolean;
}

export function groupNotifications(items: readonly NotificationDto[]): NotificationGroup[] {
  const groups: NotificationGroup[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last.type === item.type && item.type !== "live" && (last.post?.id ?? null) === (item.post?.id ?? null)) {
      if (!last.actors.some((a) => a.id === item.actor.id)) last.actors.push(item.actor);
      last.unread ||= !item.read;
      continue;
    }
    groups.push({ key: item.id, type: item.type, post: item.post, session: item.session ?? null, actors: [item.actor], createdAt: item.createdAt, unread: !item.read });
  }
  return groups;
}

const VERBS: Record<NotificationGroup["type"], string> = {
  follow: "followed you",
  like: "liked your post",
  repost: "reposted your post",
  reply: "replied to your post",
  mention: "mentioned you",
  live: "went live",
};

/** "is live" while it lasts, "was live" once it ended. */
const LIVE_VERBS: Record<LiveSessionDto["status"], string> = { live: "is live", ended: "was live", upcoming: "went live" };

/** "Ana", "Ana and Bob", "Ana and 3 others" — and the verb. */
export function describeGroup(group: Pick<NotificationGroup, "type" | "actors"> & { session?: LiveSessionDto | null }): { names: string; verb: string } {
  const [first, second] = group.actors;
  const others = group.actors.length - 1;
  const names =
    others === 0 ? first!.displayName : others === 1 ? `${first!.displayName} and ${second!.displayName}` : `${first!.displayName} and ${others} others`;
  const verb = group.type === "live" && group.session ? LIVE_VERBS[group.session.status] : VERBS[group.type];
  return { names, verb };
}
