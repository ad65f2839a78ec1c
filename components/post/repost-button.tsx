"use client";
// Repost / undo, shown at once and then confirmed by the server (optimistic-toggle.tsx): a
// toggle button (aria-pressed) whose name stays "Repost".
import Link from "next/link";
import { setRepostAction } from "@/app/actions/reposts";
import { RepostIcon } from "@/components/ui/icons";
import { ActionCount, InlineError, useOptimisticToggle } from "@/components/ui/optimistic-toggle";

interface Props {
  postId: string;
  reposted: boolean;
  count: number;
  loggedIn: boolean;
}

export function RepostButton({ postId, reposted, count, loggedIn }: Props) {
  const { shown, error, toggle } = useOptimisticToggle({
    on: reposted,
    count,
    send: async (repost) => {
      const result = await setRepostAction({ postId, repost });
      return { error: result.error, on: result.repostedByMe, count: result.repostCount };
    },
  });

  if (!loggedIn) {
    return (
      <span className="post-action repost">
        <Link href={`/login?next=/p/${postId}`} className="action-button repost-button" aria-label="Log in to repost" title="Log in to repost">
          <RepostIcon size={18} />
        </Link>
        <ActionCount count={count} className="repost-count" one="repost" many="reposts" />
      </span>
    );
  }

  return (
    <span className="post-action repost">
      <button
        type="button"
        className={shown.on ? "action-button repost-button reposted" : "action-button repost-button"}
        aria-pressed={shown.on}
        onClick={toggle}
        title={shown.on ? "Undo repost" : "Repost"}
      >
        <RepostIcon size={18} />
        <span className="visually-hidden">Repost</span>
      </button>
      <ActionCount count={shown.count} className="repost-count" one="repost" many="reposts" />
      <InlineError error={error} />
    </span>
  );
}
