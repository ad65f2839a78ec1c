"use client";
// "5m", "3h", "Mar 4": short relative times in the reader's time zone. The server (and
// hydration) render the plain UTC date, so both agree; the browser then shows the relative
// time and keeps it current with one shared minute clock.
import { useSyncExternalStore } from "react";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((l) => l()), MINUTE);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

// Whole minutes, so repeated reads within a render agree.
const clientNow = () => Math.floor(Date.now() / MINUTE) * MINUTE;
const serverNow = () => null;

export function PostTime({ iso }: { iso: string }) {
  const now = useSyncExternalStore(subscribe, clientNow, serverNow);
  const date = new Date(iso);
  if (now === null) {
    return <time dateTime={iso}>{date.toLocaleDateString("en", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" })}</time>;
  }
  return (
    <time dateTime={iso} title={date.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" })}>
      {shortTime(date, now)}
    </time>
  );
}

function shortTime(date: Date, now: number): string {
  const age = now - date.getTime();
  if (age < MINUTE) return "now";
  if (age < HOUR) return `${Math.floor(age / MINUTE)}m`;
  if (age < DAY) return `${Math.floor(age / HOUR)}h`;
  if (age < 7 * DAY) return `${Math.floor(age / DAY)}d`;
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString("en", { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) });
}
