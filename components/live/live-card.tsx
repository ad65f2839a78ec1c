// One live session: its state (a red LIVE badge, "Upcoming" or "Replay"), the host, the
// title and the time that matters for that state — how long it has been live, when it
// starts in the viewer's local time, or when it ended. The host's controls, when given,
// go in its footer. No hooks of its own: usable from server and client components.
import Link from "next/link";
import type { ReactNode } from "react";
import type { LiveSessionDto } from "@/lib/live/dto";
import { Avatar } from "@/components/people/avatar";
import { EndedAgo, LiveFor, StartsAt } from "@/components/live/session-times";

interface Props {
  session: LiveSessionDto;
  /** The title's heading level: 3 under a section's h2, 4 inside a profile's groups. */
  headingLevel?: 3 | 4;
  /** False on the host's own profile, where every card is theirs. */
  showHost?: boolean;
  /** Shown in the card's footer: the host's Start / End / Cancel. */
  children?: ReactNode;
}

const STATE_LABELS: Record<LiveSessionDto["status"], string> = { live: "Live now", upcoming: "Upcoming", ended: "Replay" };

export function LiveCard({ session, headingLevel = 3, showHost = true, children }: Props) {
  const { host, status, title } = session;
  const Heading = headingLevel === 3 ? "h3" : "h4";
  return (
    <article className={`live-card live-card-${status}`} aria-label={`${STATE_LABELS[status]}: ${title}`}>
      <header className="live-card-meta">
        <StateBadge status={status} />
        {showHost && (
          <Link href={`/u/${host.username}`} className="live-card-host">
            <Avatar user={host} size={24} /> <strong>{host.displayName}</strong> <span className="muted">@{host.username}</span>
          </Link>
        )}
      </header>
      <Heading className="live-card-title">{title}</Heading>
      <p className="live-card-when">
        <When session={session} />
      </p>
      {children && <footer className="live-card-actions">{children}</footer>}
    </article>
  );
}

function StateBadge({ status }: { status: LiveSessionDto["status"] }) {
  if (status === "live") {
    return (
      <span className="live-badge">
        <span className="live-dot" aria-hidden="true" />
        Live
      </span>
    );
  }
  return <span className={`badge live-state live-state-${status}`}>{STATE_LABELS[status]}</span>;
}

function When({ session }: { session: LiveSessionDto }) {
  if (session.status === "live" && session.startedAt) return <LiveFor startedAt={session.startedAt} />;
  if (session.status === "ended" && session.endedAt) return <EndedAgo endedAt={session.endedAt} startedAt={session.startedAt} />;
  return <StartsAt scheduledAt={session.scheduledAt} />;
}
