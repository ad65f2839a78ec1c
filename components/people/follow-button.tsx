"use client";
// Follow / unfollow, shown switched at once (useOptimistic); the server's answer settles it
// and a refusal (e.g. the follow limit) is shown next to the button.
import { useOptimistic, useState, useTransition } from "react";
import { setFollowAction } from "@/app/actions/follows";

export function FollowButton({ username, following }: { username: string; following: boolean }) {
  const [state, setState] = useState(following);
  const [shown, setShown] = useOptimistic(state);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function toggle() {
    const follow = !shown;
    startTransition(async () => {
      setShown(follow);
      const result = await setFollowAction({ username, follow });
      startTransition(() => {
        if (result.error !== undefined) {
          setError(result.error);
        } else {
          setError(undefined);
          setState(result.following ?? follow);
        }
      });
    });
  }

  return (
    <div className="follow">
      <button type="button" className={shown ? "button secondary" : "button"} onClick={toggle} disabled={pending}>
        {shown ? "Unfollow" : "Follow"}
        <span className="visually-hidden"> @{username}</span>
      </button>
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
    </div>
  );
}
