"use client";
// Flagging a superstar cannot be undone, so the button asks once more in place; the server
// action then re-renders the admin page, which shows the account with its badge.
import { useState } from "react";
import { flagSuperstarAction } from "@/app/actions/admin";
import { SuperstarBadge } from "@/components/admin/admin-badge";
import { ConfirmButton } from "@/components/ui/confirm-button";

export function AdminFlagButton({ username }: { username: string }) {
  const [flagged, setFlagged] = useState(false);
  if (flagged) return <SuperstarBadge />;
  return (
    <ConfirmButton
      trigger={
        <>
          Flag as superstar<span className="visually-hidden"> @{username}</span>
        </>
      }
      triggerClassName="button small secondary"
      question="Flag for good?"
      confirmLabel="Yes, flag"
      pendingLabel="Flagging…"
      groupLabel={`Confirm flagging @${username}`}
      className="confirm admin-confirm"
      action={() => flagSuperstarAction({ username })}
      onDone={() => setFlagged(true)}
    />
  );
}
