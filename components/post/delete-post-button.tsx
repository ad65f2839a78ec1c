"use client";
// Deleting asks once more in place (no browser dialog), then removes the post from the
// list it is in, or (on the post's own page) the server redirects to `redirectTo`.
import { deletePostAction } from "@/app/actions/posts";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { TrashIcon } from "@/components/ui/icons";

interface Props {
  postId: string;
  redirectTo?: string;
  onDeleted?: () => void;
}

export function DeletePostButton({ postId, redirectTo, onDeleted }: Props) {
  return (
    <ConfirmButton
      trigger={
        <>
          <TrashIcon size={18} />
          <span className="visually-hidden">Delete</span>
        </>
      }
      triggerClassName="action-button delete-button"
      question="Delete this post?"
      confirmLabel="Yes, delete"
      pendingLabel="Deleting…"
      groupLabel="Confirm deletion"
      action={() => deletePostAction({ postId, redirectTo })}
      onDone={onDeleted}
    />
  );
}
