// Splits an ordered list of sessions (live, then upcoming, then ended — the order both the
// Live feed and a host's list come in) into its groups, each session once.
import type { LiveSessionDto } from "@/lib/live/dto";

export type SessionStatus = LiveSessionDto["status"];

export interface SessionGroup {
  status: SessionStatus;
  sessions: LiveSessionDto[];
}

const ORDER: readonly SessionStatus[] = ["live", "upcoming", "ended"];

export function groupSessions(items: readonly LiveSessionDto[]): SessionGroup[] {
  const seen = new Set<string>();
  const byStatus = new Map<SessionStatus, LiveSessionDto[]>(ORDER.map((s) => [s, []]));
  for (const session of items) {
    if (seen.has(session.id)) continue;
    seen.add(session.id);
    byStatus.get(session.status)?.push(session);
  }
  return ORDER.flatMap((status) => {
    const sessions = byStatus.get(status) ?? [];
    return sessions.length > 0 ? [{ status, sessions }] : [];
  });
}

/** A list's identity for React keys: which sessions, in which state (a start or an end changes it). */
export function sessionsSignature(items: readonly LiveSessionDto[]): string {
  return items.map((s) => `${s.id}:${s.status}`).join(",");
}
