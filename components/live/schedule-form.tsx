"use client";
// Scheduling a live session on one's own profile: a title and a date and time. The
// date-time input speaks the viewer's local time; the form sends the server that moment
// as an ISO string in UTC. The server checks everything again and its messages show
// beside the fields.
import { useActionState, useState, useSyncExternalStore } from "react";
import { scheduleSessionAction } from "@/app/actions/live";
import type { ActionState } from "@/lib/actions/run-action";
import { FormError, FormField } from "@/components/ui/form-field";

/** Same as the server's limit (lib/live/state.ts). */
const TITLE_MAX = 100;

const noSubscription = () => () => {};
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const serverTimeZone = () => null;

/** "2025-03-04T19:30" (local time, as the input gives it) → ISO UTC, or "" when it is not a date. */
export function localInputToIso(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

export function ScheduleForm() {
  const [title, setTitle] = useState("");
  const [when, setWhen] = useState("");
  const timeZone = useSyncExternalStore(noSubscription, browserTimeZone, serverTimeZone);
  const [state, formAction, pending] = useActionState(async (prev: ActionState, formData: FormData) => {
    formData.set("scheduledAt", localInputToIso(String(formData.get("when") ?? "")));
    formData.delete("when");
    const result = await scheduleSessionAction(prev, formData);
    if (result.ok) {
      setTitle("");
      setWhen("");
    }
    return result;
  }, {});
  const fields = state.fields ?? {};
  // A message about a field shows beside it; anything else above the button.
  const general = state.error && !fields.title && !fields.scheduledAt ? state.error : undefined;

  return (
    <form action={formAction} className="card live-schedule" aria-labelledby="live-schedule-title">
      <h3 id="live-schedule-title" className="live-schedule-heading">
        Schedule a live session
      </h3>
      <div className="live-schedule-fields">
        <FormField
          label="Title"
          name="title"
          id="live-title-input"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          maxLength={TITLE_MAX}
          required
          placeholder="What is it about?"
          error={fields.title}
        />
        <FormField
          label="Date and time"
          name="when"
          id="live-when-input"
          type="datetime-local"
          value={when}
          onChange={(e) => setWhen(e.target.value)}
          required
          hint={timeZone ? `Your local time (${timeZone.replaceAll("_", " ")}).` : "Your local time."}
          error={fields.scheduledAt}
        />
      </div>
      <FormError message={general} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Scheduling…" : "Schedule"}
        </button>
        <span aria-live="polite">{state.ok && !pending && <span className="form-success">Scheduled. Your followers can see it on their Live tab.</span>}</span>
      </div>
    </form>
  );
}
