"use client";
// Block asks once more in place, since it also ends the follows both ways and unblocking
// does not bring them back; unblock is one click. The server action re-renders the
// profile, so the page's labels and follow button follow the new state.
import { useState, useTransition } from "react";
import { setBlockAction } from "@/app/actions/relationships";
import { ConfirmButton } from "@/components/ui/confirm-button";

export function BlockButton({ username, blocking }: { username: string; blocking: boolean }) {
  const [state, setState] = useState(blocking);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  if (!state) {
    return (
      <ConfirmButton
        trigger={
          <>
            Block<span className="visually-hidden"> @{username}</span>
          </>
        }
        triggerClassName="button small secondary danger"
        question={`Block @${username}? You’ll unfollow each other, and they won’t be able to follow you or see your profile.`}
        confirmLabel="Yes, block"
        pendingLabel="Blocking…"
        groupLabel={`Confirm blocking @${username}`}
        className="confirm people-confirm"
        action={() => setBlockAction({ username, block: true })}
        onDone={() => setState(true)}
      />
    );
  }

  function unblock() {
    startTransition(async () => {
      const result = await setBlockAction({ username, block: false });
      startTransition(() => {
        setError(result.error);
        if (result.error === undefined) setState(false);
      });
    });
  }

  return (
    <span className="people-action">
      <button type="button" className="button small secondary" onClick={unblock} disabled={pending}>
        {pending ? "Unblocking…" : "Unblock"}
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
