"use client";
// One shared 30-second clock for every relative time on a page (a post's "5m", a live
// card's "live for 12 min", "ended 2h ago", "in 3 hours"), and the formatting of those
// phrases. The server and hydration see no time (null),
// so both render the same plain text; the browser then shows times relative to now, in the
// viewer's own time zone and locale.
import { useSyncExternalStore } from "react";

export const CLOCK_TICK_MS = 30_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((l) => l()), CLOCK_TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

// Whole ticks, so repeated reads within a render agree (useSyncExternalStore requires it).
const clientNow = () => Math.floor(Date.now() / CLOCK_TICK_MS) * CLOCK_TICK_MS;
const serverNow = () => null;

/** Now in ms (to the last 30 s tick) in the browser; null on the server and while hydrating. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribe, clientNow, serverNow);
}

/** "less than a minute", "12 min", "1 h 5 min", "2 d 3 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** "now", "5m", "3h", "2d", then the date ("Mar 4", with the year when not this year). */
export function formatAge(date: Date, now: number): string {
  const age = now - date.getTime();
  if (age < MINUTE) return "now";
  if (age < HOUR) return `${Math.floor(age / MINUTE)}m`;
  if (age < DAY) return `${Math.floor(age / HOUR)}h`;
  if (age < 7 * DAY) return `${Math.floor(age / DAY)}d`;
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(undefined, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) });
}

/** "just now", "5m ago", "3h ago", "2d ago", then "on Mar 4". */
export function formatAgo(date: Date, now: number): string {
  const age = formatAge(date, now);
  if (age === "now") return "just now";
  return now - date.getTime() < 7 * DAY ? `${age} ago` : `on ${age}`;
}

/** "in 5 minutes", "in 3 hours", "tomorrow" — how far off a start is (the caller handles the past). */
export function formatUntil(date: Date, now: number): string {
  const ahead = date.getTime() - now;
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (ahead < HOUR) return rtf.format(Math.max(1, Math.round(ahead / MINUTE)), "minute");
  if (ahead < DAY) return rtf.format(Math.round(ahead / HOUR), "hour");
  return rtf.format(Math.round(ahead / DAY), "day");
}

/** "Tue, Mar 4, 7:30 PM" in the viewer's locale and time zone, with the year when not this year. */
export function formatLocalDateTime(date: Date, now: number): string {
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleString(undefined, {
    weekday: "short",
    month: "short",
    day: "numeric",
    ...(sameYear ? {} : { year: "numeric" }),
    hour: "numeric",
    minute: "2-digit",
  });
}

/** The plain UTC text the server renders (and hydration matches) before the browser's clock takes over. */
export function formatUtc(date: Date): string {
  return `${date.toLocaleString("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" })} UTC`;
}
