"use client";
// The times on a live card, relative to the viewer's clock: how long a session has been
// live, when an upcoming one starts (in the viewer's local time), and when a replay ended.
// Server-rendered as UTC text; the shared 30 s clock (./clock) takes over in the browser.
import { formatAgo, formatDuration, formatLocalDateTime, formatUntil, formatUtc, useNow } from "@/components/ui/clock";

/** "live for 12 min" */
export function LiveFor({ startedAt }: { startedAt: string }) {
  const now = useNow();
  const started = new Date(startedAt);
  return (
    <time dateTime={startedAt} title={now === null ? undefined : `Started ${formatLocalDateTime(started, now)}`}>
      {now === null ? `started ${formatUtc(started)}` : `live for ${formatDuration(now - started.getTime())}`}
    </time>
  );
}

/** "Starts Tue, Mar 4, 7:30 PM · in 3 h", or, once due and not started, "Due … · waiting for the host". */
export function StartsAt({ scheduledAt }: { scheduledAt: string }) {
  const now = useNow();
  const start = new Date(scheduledAt);
  if (now === null) return <time dateTime={scheduledAt}>Starts {formatUtc(start)}</time>;
  const due = start.getTime() <= now;
  return (
    <>
      <time dateTime={scheduledAt}>
        {due ? "Was due" : "Starts"} {formatLocalDateTime(start, now)}
      </time>
      <span className="live-time-extra"> · {due ? "waiting for the host" : formatUntil(start, now)}</span>
    </>
  );
}

/** "Ended 2h ago · 45 min long" */
export function EndedAgo({ endedAt, startedAt }: { endedAt: string; startedAt: string | null }) {
  const now = useNow();
  const ended = new Date(endedAt);
  const length = startedAt ? formatDuration(ended.getTime() - new Date(startedAt).getTime()) : null;
  return (
    <>
      <time dateTime={endedAt} title={now === null ? undefined : formatLocalDateTime(ended, now)}>
        Ended {now === null ? formatUtc(ended) : formatAgo(ended, now)}
      </time>
      {length && <span className="live-time-extra"> · {length} long</span>}
    </>
  );
}
