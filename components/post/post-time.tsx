"use client";
// "5m", "3h", "Mar 4": short relative times in the reader's time zone. The server (and
// hydration) render the plain UTC date, so both agree; the browser then shows the relative
// time and keeps it current with the page's one shared clock (clock.ts).
import { formatAge, useNow } from "@/components/ui/clock";

export function PostTime({ iso }: { iso: string }) {
  const now = useNow();
  const date = new Date(iso);
  if (now === null) {
    return <time dateTime={iso}>{date.toLocaleDateString("en", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" })}</time>;
  }
  return (
    <time dateTime={iso} title={date.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" })}>
      {formatAge(date, now)}
    </time>
  );
}
