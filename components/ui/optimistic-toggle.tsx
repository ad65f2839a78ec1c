"use client";
// The on/off-with-a-count buttons of a post (like, repost): the new state and count are
// shown at once (useOptimistic); the server's answer then becomes the truth, and a refusal
// (rate limit, deleted post) puts the old state back and says why.
import { startTransition, useOptimistic, useState } from "react";

export interface ToggleResult {
  error?: string;
  on?: boolean;
  count?: number;
}

export function useOptimisticToggle({ on, count, send }: { on: boolean; count: number; send: (on: boolean) => Promise<ToggleResult> }) {
  const [state, setState] = useState({ on, count });
  const [shown, setShown] = useOptimistic(state);
  const [error, setError] = useState<string>();

  function toggle() {
    const next = !shown.on;
    startTransition(async () => {
      setShown({ on: next, count: Math.max(0, shown.count + (next ? 1 : -1)) });
      const result = await send(next);
      startTransition(() => {
        if (result.error !== undefined || result.count === undefined) {
          setError(result.error);
        } else {
          setError(undefined);
          setState({ on: result.on ?? next, count: result.count });
        }
      });
    });
  }

  return { shown, error, toggle };
}

/** A count with its unit for screen readers ("3 likes"). */
export function ActionCount({ count, className, one, many }: { count: number; className: string; one: string; many: string }) {
  return (
    <span className={className}>
      {count}
      <span className="visually-hidden">{count === 1 ? ` ${one}` : ` ${many}`}</span>
    </span>
  );
}

export function InlineError({ error }: { error?: string }) {
  return error ? (
    <span role="alert" className="inline-error">
      {error}
    </span>
  ) : null;
}
