"use client";
// A host's sessions on their profile: live, then upcoming, then past ones (replays), the
// first page rendered by the server and more on request from
// /api/v1/users/{username}/live. On one's own profile each card carries its controls.
import { useState } from "react";
import type { LiveSessionDto } from "@/lib/live/dto";
import { groupSessions, type SessionStatus } from "@/components/live/group-sessions";
import { HostControls } from "@/components/live/host-controls";
import { LiveCard } from "@/components/live/live-card";

interface Props {
  username: string;
  initialItems: LiveSessionDto[];
  initialCursor: string | null;
  /** The viewer's own profile: Start / End / Cancel on each card. */
  own: boolean;
}

const GROUP_TITLES: Record<SessionStatus, string> = { live: "Live now", upcoming: "Upcoming", ended: "Past sessions" };
const PAGE_SIZE = 10;

export function HostSessions({ username, initialItems, initialCursor, own }: Props) {
  const [older, setOlder] = useState<LiveSessionDto[]>([]);
  const [cursor, setCursor] = useState(initialCursor);
  const [status, setStatus] = useState<"idle" | "loading" | "error">("idle");

  async function loadMore() {
    if (!cursor || status === "loading") return;
    setStatus("loading");
    try {
      const endpoint = `/api/v1/users/${encodeURIComponent(username)}/live`;
      const res = await fetch(`${endpoint}?${new URLSearchParams({ cursor, limit: String(PAGE_SIZE) })}`, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`GET ${endpoint} answered ${res.status}`);
      const page = (await res.json()) as { items: LiveSessionDto[]; nextCursor: string | null };
      setOlder((items) => [...items, ...page.items]);
      setCursor(page.nextCursor);
      setStatus("idle");
    } catch (error) {
      console.error("loading more live sessions failed", error);
      setStatus("error");
    }
  }

  const groups = groupSessions([...initialItems, ...older]);
  if (groups.length === 0 && !cursor) {
    return <p className="muted live-none">{own ? "You have no live sessions yet." : `@${username} has no live sessions.`}</p>;
  }

  return (
    <div className="host-sessions" aria-busy={status === "loading"}>
      {groups.map(({ status: groupStatus, sessions }) => (
        <div key={groupStatus} className={`live-group live-group-${groupStatus}`}>
          <h3 className="live-group-title">{GROUP_TITLES[groupStatus]}</h3>
          <ul className="live-cards">
            {sessions.map((session) => (
              <li key={session.id} data-session-id={session.id}>
                <LiveCard session={session} headingLevel={4} showHost={false}>
                  {own && session.status !== "ended" ? <HostControls session={session} /> : null}
                </LiveCard>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {cursor && (
        <div className="list-end">
          {status === "error" && (
            <p role="alert" className="inline-error">
              More sessions could not be loaded.
            </p>
          )}
          <button type="button" className="button secondary small" onClick={() => void loadMore()} disabled={status === "loading"}>
            {status === "loading" ? "Loading…" : status === "error" ? "Try again" : "Show more sessions"}
          </button>
        </div>
      )}
    </div>
  );
}
