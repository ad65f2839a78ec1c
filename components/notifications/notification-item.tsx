// One line of the notifications page: the faces and names of who did what, when, and the post it was about
// (quoted for likes and reposts, shown whole for replies and mentions), or the live
// session a host went live with (its title linking to the Live tab).
import Link from "next/link";
import { Avatar } from "@/components/people/avatar";
import { PostCard } from "@/components/post/post-card";
import { PostTime } from "@/components/post/post-time";
import type { UserLite } from "@/lib/posts/dto";
import { describeGroup, type NotificationGroup } from "@/components/notifications/group-notifications";

const ICONS: Record<NotificationGroup["type"], string> = {
  follow: "+",
  like: "♥",
  repost: "⟳",
  reply: "↩",
  mention: "@",
  live: "●",
};

/** The most faces shown above a group's line. */
const FACES = 6;

/** The most actors listed under a group's line. */
const LISTED_ACTORS = 8;

export function NotificationItem({ group, viewerId }: { group: NotificationGroup; viewerId: string }) {
  const { names, verb } = describeGroup(group);
  const { actors, post, session } = group;
  const others = actors.length - 1;
  return (
    <article className={`notification notification-${group.type}${group.unread ? " unread" : ""}`} aria-label={`${names} ${verb}${session ? `: ${session.title}` : ""}`}>
      <span className="notification-icon" aria-hidden="true">
        {ICONS[group.type]}
      </span>
      <div className="notification-body">
        {/* Faces of who did it; their names are in the line below. */}
        <div className="notification-faces" aria-hidden="true">
          {actors.slice(0, FACES).map((actor) => (
            <Avatar key={actor.id} user={actor} size={32} />
          ))}
        </div>
        <p className="notification-text">
          <ActorLink actor={actors[0]!} />
          {others === 1 && (
            <>
              {" and "}
              <ActorLink actor={actors[1]!} />
            </>
          )}
          {others > 1 && ` and ${others} others`} {verb}
          {group.type === "live" && session && (
            <>
              {": "}
              <Link href="/live" className="notification-live-title">
                {session.title}
              </Link>
            </>
          )}
          <span className="muted" aria-hidden="true">
            {" · "}
          </span>
          <span className="muted">
            <PostTime iso={group.createdAt} />
          </span>
          {group.unread && <span className="visually-hidden"> (new)</span>}
        </p>
        {others > 1 && (
          <ul className="notification-actors" aria-label={`Everyone who ${verb}`}>
            {actors.slice(0, LISTED_ACTORS).map((actor) => (
              <li key={actor.id}>
                <ActorLink actor={actor} plain />
              </li>
            ))}
            {actors.length > LISTED_ACTORS && <li className="muted">+{actors.length - LISTED_ACTORS}</li>}
          </ul>
        )}
        {post && (group.type === "like" || group.type === "repost") && (
          <Link href={`/p/${post.id}`} className="notification-quote">
            {post.content}
          </Link>
        )}
        {post && (group.type === "reply" || group.type === "mention") && <PostCard post={post} viewerId={viewerId} />}
        {group.type === "live" && !session && (
          <Link href="/live" className="notification-live-link">
            See the Live tab
          </Link>
        )}
      </div>
    </article>
  );
}

function ActorLink({ actor, plain }: { actor: UserLite; plain?: boolean }) {
  return (
    <Link href={`/u/${actor.username}`} className="notification-actor" title={`@${actor.username}`}>
      {plain ? actor.displayName : <strong>{actor.displayName}</strong>}
    </Link>
  );
}
