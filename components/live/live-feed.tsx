"use client";
// The Live tab's list: live sessions of the hosts the viewer follows, then upcoming ones,
// then replays. The first page comes rendered from the server; later pages are fetched
// from /api/v1/feed/live with the cursor as the end scrolls into view ("Load more" for
// when that does not happen or fails). Every page after the first continues the same
// snapshot, so the list stays one consistent moment while scrolling.
//
// Every ~60 s while the tab is visible (and at once on coming back to it, as
// use-visible-polling.ts does) the first page is read again without a cursor: a new
// snapshot, so new live sessions show up and ended ones move to the replays. Older pages loaded from the previous snapshot are dropped with
// it, unless the reader is down among them: then the refresh waits. The card the reader is
// looking at is kept in place on screen across a refresh.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { LiveSessionDto } from "@/lib/live/dto";
import { ListEnd, useLoadOnScroll, type PageStatus } from "@/components/ui/paged-list";
import { groupSessions, sessionsSignature, type SessionStatus } from "@/components/live/group-sessions";
import { LiveCard } from "@/components/live/live-card";
import { useVisiblePolling } from "@/components/ui/use-visible-polling";

export const LIVE_REFRESH_MS = 60_000;
const ENDPOINT = "/api/v1/feed/live";
const PAGE_SIZE = 20;

interface Props {
  initialItems: LiveSessionDto[];
  initialCursor: string | null;
  refreshMs?: number;
  /** Shown when there is nothing at all. */
  empty: ReactNode;
}

interface FeedState {
  /** The newest snapshot's first page. */
  first: LiveSessionDto[];
  /** Later pages of the same snapshot. */
  older: LiveSessionDto[];
  cursor: string | null;
}

interface PageJson {
  items: LiveSessionDto[];
  nextCursor: string | null;
}

class PageError extends Error {
  constructor(readonly status: number) {
    super(`GET ${ENDPOINT} answered ${status}`);
  }
}

const GROUP_TITLES: Record<SessionStatus, string> = { live: "Live now", upcoming: "Upcoming", ended: "Replays" };

async function fetchPage(cursor: string | null, signal?: AbortSignal): Promise<PageJson> {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
  const res = await fetch(`${ENDPOINT}?${params}`, { headers: { accept: "application/json" }, signal, cache: "no-store" });
  if (!res.ok) throw new PageError(res.status);
  return (await res.json()) as PageJson;
}

export function LiveFeed({ initialItems, initialCursor, refreshMs = LIVE_REFRESH_MS, empty }: Props) {
  const [feed, setFeed] = useState<FeedState>({ first: initialItems, older: [], cursor: initialCursor });
  const [status, setStatus] = useState<PageStatus>("idle");
  const [notice, setNotice] = useState<string>();
  const busy = useRef(false);
  const latest = useRef(feed);
  const list = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  /** The card on screen before a refresh, and where it was: put back there after it. */
  const anchor = useRef<{ id: string; top: number } | null>(null);
  const idPrefix = useId();

  useEffect(() => {
    latest.current = feed;
  }, [feed]);

  // After a refresh re-rendered the list, scroll so the anchored card sits where it was.
  useLayoutEffect(() => {
    const kept = anchor.current;
    anchor.current = null;
    if (!kept || !list.current) return;
    const card = list.current.querySelector<HTMLElement>(`[data-session-id="${CSS.escape(kept.id)}"]`);
    if (card) window.scrollBy(0, card.getBoundingClientRect().top - kept.top);
  }, [feed]);

  const restart = useCallback(async () => {
    const page = await fetchPage(null);
    setFeed({ first: page.items, older: [], cursor: page.nextCursor });
  }, []);

  const loadMore = useCallback(async () => {
    const cursor = latest.current.cursor;
    if (!cursor || busy.current) return;
    busy.current = true;
    setStatus("loading");
    try {
      try {
        const page = await fetchPage(cursor);
        setFeed((f) => (f.cursor === cursor ? { ...f, older: [...f.older, ...page.items], cursor: page.nextCursor } : f));
      } catch (error) {
        if (!(error instanceof PageError && error.status === 410)) throw error;
        // The snapshot expired (the reader stayed a long time): start again from a new one.
        await restart();
        setNotice("The list was out of date, so it starts again from the top.");
        list.current?.scrollIntoView({ block: "start" });
      }
      setStatus("idle");
    } catch (error) {
      console.error("loading more live sessions failed", error);
      setStatus("error");
    } finally {
      busy.current = false;
    }
  }, [restart]);

  /** Whether the reader is down among pages of the old snapshot, past the first page. */
  function readingOlderPages(): boolean {
    const { first, older } = latest.current;
    const lastFirst = first.at(-1);
    if (older.length === 0 || !lastFirst || !list.current) return false;
    const card = list.current.querySelector<HTMLElement>(`[data-session-id="${CSS.escape(lastFirst.id)}"]`);
    return card !== null && card.getBoundingClientRect().bottom < 0;
  }

  /** The first card at least partly on screen, and its position. */
  function cardOnScreen(): { id: string; top: number } | null {
    if (window.scrollY <= 0 || !list.current) return null;
    for (const card of list.current.querySelectorAll<HTMLElement>("[data-session-id]")) {
      const rect = card.getBoundingClientRect();
      if (rect.bottom > 0) return { id: card.dataset.sessionId!, top: rect.top };
    }
    return null;
  }

  // The periodic refresh of the first page (a new snapshot).
  useVisiblePolling({
    what: "refreshing the live feed",
    intervalMs: refreshMs,
    poll: async (signal) => {
      if (busy.current || readingOlderPages()) return;
      busy.current = true;
      try {
        const page = await fetchPage(null, signal);
        if (signal.aborted) return;
        const current = latest.current;
        const unchanged = sessionsSignature(page.items) === sessionsSignature(current.first);
        // Nothing new: pages already loaded from the older snapshot stay.
        if (unchanged && current.older.length > 0) return;
        if (!unchanged) anchor.current = cardOnScreen();
        setFeed({ first: page.items, older: [], cursor: page.nextCursor });
        setNotice(undefined);
      } catch (error) {
        // Logged out meanwhile: asking again will not help.
        if (error instanceof PageError && error.status === 401) return false;
        throw error;
      } finally {
        busy.current = false;
      }
    },
  });

  useLoadOnScroll(sentinel, feed.cursor, status, loadMore);

  const groups = groupSessions([...feed.first, ...feed.older]);

  return (
    <div className="live-feed" ref={list} data-refresh-interval={refreshMs}>
      <div aria-live="polite">{notice && <p className="live-notice">{notice}</p>}</div>
      {groups.length === 0 && !feed.cursor ? (
        <div className="empty">{empty}</div>
      ) : (
        <div aria-busy={status === "loading"}>
          {groups.map(({ status: groupStatus, sessions }) => (
            <section key={groupStatus} className={`live-group live-group-${groupStatus}`} aria-labelledby={`${idPrefix}-${groupStatus}`}>
              <h2 id={`${idPrefix}-${groupStatus}`} className="section-title">
                {GROUP_TITLES[groupStatus]}
              </h2>
              <ul className="live-cards">
                {sessions.map((session) => (
                  <li key={session.id} data-session-id={session.id}>
                    <LiveCard session={session} />
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
      <ListEnd sentinel={sentinel} cursor={feed.cursor} status={status} onMore={loadMore} loadedMore={feed.older.length > 0} errorText="More sessions could not be loaded." />
    </div>
  );
}
