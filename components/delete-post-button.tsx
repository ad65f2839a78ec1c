"use client";
// Deleting asks once more in place (no browser dialog), then removes the post from the
// list it is in, or (on the post's own page) the server redirects to `redirectTo`.
import { useState, useTransition } from "react";
import { deletePostAction } from "@/app/actions/posts";

interface Props {
  postId: string;
  redirectTo?: string;
  onDeleted?: () => void;
}

export function DeletePostButton({ postId, redirectTo, onDeleted }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  if (!confirming) {
    return (
      <button type="button" className="text-button" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }

  function confirm() {
    startTransition(async () => {
      const result = await deletePostAction({ postId, redirectTo });
      if (result.error) {
        setError(result.error);
        return;
      }
      onDeleted?.();
    });
  }

  return (
    <span role="group" aria-label="Confirm deletion" className="confirm">
      <span>Delete this post?</span>
      <button type="button" className="text-button danger" onClick={confirm} disabled={pending}>
        {pending ? "Deleting…" : "Yes, delete"}
      </button>
      <button type="button" className="text-button" onClick={() => setConfirming(false)} disabled={pending}>
        Cancel
      </button>
      {error && (
        <span role="alert" className="inline-error">
          {error}
        </span>
      )}
    </span>
  );
}
