"use client";
// Like / unlike with the new count shown at once (useOptimistic); the server's answer then
// becomes the truth, and a refusal (rate limit, deleted post) puts the old state back.
import Link from "next/link";
import { startTransition, useOptimistic, useState } from "react";
import { setLikeAction } from "@/app/actions/likes";

interface Props {
  postId: string;
  liked: boolean;
  count: number;
  loggedIn: boolean;
}

export function LikeButton({ postId, liked, count, loggedIn }: Props) {
  const [state, setState] = useState({ liked, count });
  const [shown, setShown] = useOptimistic(state);
  const [error, setError] = useState<string>();

  if (!loggedIn) {
    return (
      <span className="like">
        <Link href={`/login?next=/p/${postId}`} className="like-button" aria-label="Log in to like">
          <span aria-hidden="true">♡</span>
        </Link>
        <LikeCount count={count} />
      </span>
    );
  }

  function toggle() {
    const like = !shown.liked;
    startTransition(async () => {
      setShown({ liked: like, count: Math.max(0, shown.count + (like ? 1 : -1)) });
      const result = await setLikeAction({ postId, like });
      startTransition(() => {
        if (result.error !== undefined || result.likeCount === undefined) {
          setError(result.error);
        } else {
          setError(undefined);
          setState({ liked: result.likedByMe ?? like, count: result.likeCount });
        }
      });
    });
  }

  return (
    <span className="like">
      <button type="button" className={shown.liked ? "like-button liked" : "like-button"} onClick={toggle}>
        <span aria-hidden="true">{shown.liked ? "♥" : "♡"}</span>
        <span className="visually-hidden">{shown.liked ? "Unlike" : "Like"}</span>
      </button>
      <LikeCount count={shown.count} />
      {error && (
        <span role="alert" className="inline-error">
          {error}
        </span>
      )}
    </span>
  );
}

function LikeCount({ count }: { count: number }) {
  return (
    <span className="like-count">
      {count}
      <span className="visually-hidden">{count === 1 ? " like" : " likes"}</span>
    </span>
  );
}
