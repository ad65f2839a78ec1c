"use client";
// Repost / undo with the new count shown at once (useOptimistic), like the like button: a
// toggle button (aria-pressed) whose name stays "Repost"; the server's answer then becomes
// the truth, and a refusal (rate limit, deleted post) puts the old state back.
import Link from "next/link";
import { startTransition, useOptimistic, useState } from "react";
import { setRepostAction } from "@/app/actions/reposts";

interface Props {
  postId: string;
  reposted: boolean;
  count: number;
  loggedIn: boolean;
}

export function RepostButton({ postId, reposted, count, loggedIn }: Props) {
  const [state, setState] = useState({ reposted, count });
  const [shown, setShown] = useOptimistic(state);
  const [error, setError] = useState<string>();

  if (!loggedIn) {
    return (
      <span className="repost">
        <Link href={`/login?next=/p/${postId}`} className="repost-button" aria-label="Log in to repost">
          <span aria-hidden="true">↻</span>
        </Link>
        <RepostCount count={count} />
      </span>
    );
  }

  function toggle() {
    const repost = !shown.reposted;
    startTransition(async () => {
      setShown({ reposted: repost, count: Math.max(0, shown.count + (repost ? 1 : -1)) });
      const result = await setRepostAction({ postId, repost });
      startTransition(() => {
        if (result.error !== undefined || result.repostCount === undefined) {
          setError(result.error);
        } else {
          setError(undefined);
          setState({ reposted: result.repostedByMe ?? repost, count: result.repostCount });
        }
      });
    });
  }

  return (
    <span className="repost">
      <button type="button" className={shown.reposted ? "repost-button reposted" : "repost-button"} aria-pressed={shown.reposted} onClick={toggle}>
        <span aria-hidden="true">↻</span>
        <span className="visually-hidden">Repost</span>
      </button>
      <RepostCount count={shown.count} />
      {error && (
        <span role="alert" className="inline-error">
          {error}
        </span>
      )}
    </span>
  );
}

function RepostCount({ count }: { count: number }) {
  return (
    <span className="repost-count">
      {count}
      <span className="visually-hidden">{count === 1 ? " repost" : " reposts"}</span>
    </span>
  );
}
