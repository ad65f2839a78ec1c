"use client";
// Like / unlike, shown at once and then confirmed by the server (optimistic-toggle.tsx).
import Link from "next/link";
import { setLikeAction } from "@/app/actions/likes";
import { HeartIcon } from "@/components/ui/icons";
import { ActionCount, InlineError, useOptimisticToggle } from "@/components/ui/optimistic-toggle";

interface Props {
  postId: string;
  liked: boolean;
  count: number;
  loggedIn: boolean;
}

export function LikeButton({ postId, liked, count, loggedIn }: Props) {
  const { shown, error, toggle } = useOptimisticToggle({
    on: liked,
    count,
    send: async (like) => {
      const result = await setLikeAction({ postId, like });
      return { error: result.error, on: result.likedByMe, count: result.likeCount };
    },
  });

  if (!loggedIn) {
    return (
      <span className="post-action like">
        <Link href={`/login?next=/p/${postId}`} className="action-button like-button" aria-label="Log in to like" title="Log in to like">
          <HeartIcon size={18} />
        </Link>
        <ActionCount count={count} className="like-count" one="like" many="likes" />
      </span>
    );
  }

  return (
    <span className="post-action like">
      <button type="button" className={shown.on ? "action-button like-button liked" : "action-button like-button"} onClick={toggle} title={shown.on ? "Unlike" : "Like"}>
        <HeartIcon size={18} filled={shown.on} />
        <span className="visually-hidden">{shown.on ? "Unlike" : "Like"}</span>
      </button>
      <ActionCount count={shown.count} className="like-count" one="like" many="likes" />
      <InlineError error={error} />
    </span>
  );
}
