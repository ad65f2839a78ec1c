"use client";
// The per-follow "show reposts" switch: off, this account's reposts stay out of the
// reader's home feed (their own posts still come). Switched at once, settled by the server.
import { useOptimistic, useState, useTransition } from "react";
import { setShowRepostsAction } from "@/app/actions/relationships";

export function ShowRepostsToggle({ username, showReposts }: { username: string; showReposts: boolean }) {
  const [state, setState] = useState(showReposts);
  const [shown, setShown] = useOptimistic(state);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function toggle() {
    const next = !shown;
    startTransition(async () => {
      setShown(next);
      const result = await setShowRepostsAction({ username, showReposts: next });
      startTransition(() => {
        setError(result.error);
        if (result.error === undefined) setState(result.showReposts ?? next);
      });
    });
  }

  return (
    <span className="people-action">
      <label className="switch">
        <input type="checkbox" role="switch" checked={shown} onChange={toggle} disabled={pending} />
        Show reposts<span className="visually-hidden"> from @{username} in your home feed</span>
      </label>
      {error && (
        <span role="alert" className="inline-error">
          {error}
        </span>
      )}
    </span>
  );
}
