"use client";
// A button for something that cannot be undone: it asks once more in place (no browser
// dialog), runs the server action, and shows the action's error beside it.
import { useState, useTransition, type ReactNode } from "react";

interface Props {
  /** The first button's content, and its class. */
  trigger: ReactNode;
  triggerClassName?: string;
  question: string;
  confirmLabel: string;
  pendingLabel: string;
  /** The accessible name of the confirm group. */
  groupLabel: string;
  className?: string;
  action: () => Promise<{ error?: string }>;
  onDone?: () => void;
}

export function ConfirmButton({ trigger, triggerClassName = "text-button", question, confirmLabel, pendingLabel, groupLabel, className = "confirm", action, onDone }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  if (!confirming) {
    return (
      <button type="button" className={triggerClassName} onClick={() => setConfirming(true)}>
        {trigger}
      </button>
    );
  }

  function confirm() {
    startTransition(async () => {
      const result = await action();
      // State set after an await belongs in a transition of its own.
      startTransition(() => {
        setError(result.error);
        if (result.error === undefined) onDone?.();
      });
    });
  }

  return (
    <span role="group" aria-label={groupLabel} className={className}>
      <span>{question}</span>
      <button type="button" className="text-button danger" onClick={confirm} disabled={pending}>
        {pending ? pendingLabel : confirmLabel}
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
