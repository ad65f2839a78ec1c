"use client";
// Flagging a superstar cannot be undone, so the button asks once more in place; the server
// action then re-renders the admin page, which shows the account with its badge.
import { useState, useTransition } from "react";
import { flagSuperstarAction } from "@/app/actions/admin";
import { SuperstarBadge } from "./admin-badge";

export function AdminFlagButton({ username }: { username: string }) {
  const [confirming, setConfirming] = useState(false);
  const [flagged, setFlagged] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  if (flagged) return <SuperstarBadge />;

  if (!confirming) {
    return (
      <button type="button" className="button small secondary" onClick={() => setConfirming(true)}>
        Flag as superstar<span className="visually-hidden"> @{username}</span>
      </button>
    );
  }

  function flag() {
    startTransition(async () => {
      const result = await flagSuperstarAction({ username });
      startTransition(() => {
        if (result.error !== undefined) {
          setError(result.error);
        } else {
          setError(undefined);
          setFlagged(true);
        }
      });
    });
  }

  return (
    <span role="group" aria-label={`Confirm flagging @${username}`} className="confirm admin-confirm">
      <span>Flag for good?</span>
      <button type="button" className="text-button danger" onClick={flag} disabled={pending}>
        {pending ? "Flagging…" : "Yes, flag"}
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
