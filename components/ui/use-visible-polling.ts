"use client";
// Asking the server again and again, politely: every `intervalMs` while the tab is visible,
// never while it is hidden, and at once when the reader comes back to it (the tab becomes
// visible again, or — with `pollOnFocus` — the window gets the focus back). One poll runs at
// a time. The poll answers `false` when asking again cannot help (logged out meanwhile):
// polling then stops until the component remounts or `restartKey` changes.
//
// The "new posts" button, the unread badge and the Live tab's refresh all poll this way.
import { useEffect, useEffectEvent } from "react";

interface Options {
  /** Called with a signal that aborts on unmount; `false` stops polling for good. */
  poll: (signal: AbortSignal) => Promise<boolean | void>;
  intervalMs: number;
  /** Poll once on mount too (otherwise the first poll comes after one interval). */
  immediate?: boolean;
  /** Poll when the window gets the focus back, not only when the tab becomes visible. */
  pollOnFocus?: boolean;
  /** A change starts polling afresh (the timer, and a stopped poll). */
  restartKey?: string;
  /** Named in the warning logged when a poll throws. */
  what: string;
}

export function useVisiblePolling({ poll, intervalMs, immediate = false, pollOnFocus = false, restartKey, what }: Options): void {
  // The latest `poll` without restarting the timer whenever the caller re-renders.
  const runPoll = useEffectEvent((signal: AbortSignal) => poll(signal));

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let running = false;
    const controller = new AbortController();
    const visible = () => document.visibilityState === "visible";

    function schedule() {
      clearTimeout(timer);
      if (!stopped && visible()) timer = setTimeout(() => void tick(), intervalMs);
    }

    async function tick() {
      if (running) return;
      clearTimeout(timer);
      running = true;
      try {
        if ((await runPoll(controller.signal)) === false) stopped = true;
      } catch (error) {
        // A dropped connection or a busy server: the next tick tries again.
        if (!controller.signal.aborted) console.warn(`${what} failed`, error);
      } finally {
        running = false;
      }
      schedule();
    }

    /** Back to the tab (or the window): ask at once. Leaving it: stop the timer. */
    function onReturn() {
      if (!stopped && visible()) void tick();
      else clearTimeout(timer);
    }

    if (immediate) void tick();
    else schedule();
    document.addEventListener("visibilitychange", onReturn);
    if (pollOnFocus) window.addEventListener("focus", onReturn);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      document.removeEventListener("visibilitychange", onReturn);
      if (pollOnFocus) window.removeEventListener("focus", onReturn);
    };
  }, [intervalMs, immediate, pollOnFocus, restartKey, what]);
}
