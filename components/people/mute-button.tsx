"use client";
// Mute / unmute, shown switched at once (useOptimistic); the server's answer settles it and
// re-renders the profile, whose label says the account is muted.
import { useOptimistic, useState, useTransition } from "react";
import { setMuteAction } from "@/app/actions/relationships";

export function MuteButton({ username, muting }: { username: string; muting: boolean }) {
  const [state, setState] = useState(muting);
  const [shown, setShown] = useOptimistic(state);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function toggle() {
    const mute = !shown;
    startTransition(async () => {
      setShown(mute);
      const result = await setMuteAction({ username, mute });
      startTransition(() => {
        setError(result.error);
        if (result.error === undefined) setState(result.muting ?? mute);
      });
    });
  }

  return (
    <span className="people-action">
      <button type="button" className="button small secondary" onClick={toggle} disabled={pending} aria-pressed={shown}>
        {shown ? "Unmute" : "Mute"}
        <span className="visually-hidden"> @{username}</span>
      </button>
      {error && (
        <span role="alert" className="inline-error">
          {error}
        </span>
      )}
    </span>
  );
}
