"use client";
// The host's buttons on their own session's card: Start (upcoming), End (live) and Cancel
// (upcoming). Ending and cancelling cannot be undone, so they ask once more in place. The
// action re-renders the profile with the new state; a refusal (e.g. the session changed
// in another tab) shows beside the buttons.
import { useState, useTransition } from "react";
import { cancelSessionAction, endSessionAction, startSessionAction } from "@/app/actions/live";
import type { ActionState } from "@/lib/actions/run-action";
import type { LiveSessionDto } from "@/lib/live/dto";

type Asking = "end" | "cancel" | null;

const QUESTIONS = {
  end: { question: "End the session for everyone?", confirm: "Yes, end it", pending: "Ending…", keep: "Keep going" },
  cancel: { question: "Cancel this session? It disappears for everyone.", confirm: "Yes, cancel it", pending: "Cancelling…", keep: "Keep it" },
} as const;

export function HostControls({ session }: { session: Pick<LiveSessionDto, "id" | "title" | "status"> }) {
  const [asking, setAsking] = useState<Asking>(null);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function run(action: (input: { sessionId: string }) => Promise<ActionState>) {
    startTransition(async () => {
      const result = await action({ sessionId: session.id });
      // State set after an await belongs in a transition of its own.
      startTransition(() => {
        setError(result.error);
        if (result.error === undefined) setAsking(null);
      });
    });
  }

  function ask(next: Asking) {
    setError(undefined);
    setAsking(next);
  }

  if (session.status === "ended") return null;
  const about = <span className="visually-hidden"> “{session.title}”</span>;

  if (asking) {
    const q = QUESTIONS[asking];
    return (
      <span role="group" aria-label={asking === "end" ? "Confirm ending the session" : "Confirm cancelling the session"} className="live-controls live-confirm">
        <span>{q.question}</span>
        <button type="button" className="button small danger-fill" onClick={() => run(asking === "end" ? endSessionAction : cancelSessionAction)} disabled={pending}>
          {pending ? q.pending : q.confirm}
        </button>
        <button type="button" className="button small secondary" onClick={() => ask(null)} disabled={pending}>
          {q.keep}
        </button>
        <ErrorText error={error} />
      </span>
    );
  }

  return (
    <span className="live-controls">
      {session.status === "upcoming" ? (
        <>
          <button type="button" className="button small live-start" onClick={() => run(startSessionAction)} disabled={pending}>
            {pending ? "Starting…" : "Start now"}
            {about}
          </button>
          <button type="button" className="button small secondary" onClick={() => ask("cancel")} disabled={pending}>
            Cancel session{about}
          </button>
        </>
      ) : (
        <button type="button" className="button small secondary danger" onClick={() => ask("end")} disabled={pending}>
          End session{about}
        </button>
      )}
      <ErrorText error={error} />
    </span>
  );
}

function ErrorText({ error }: { error?: string }) {
  if (!error) return null;
  return (
    <span role="alert" className="inline-error">
      {error}
    </span>
  );
}
