"use server";
// Live sessions from the browser: schedule, start, end and cancel one's own sessions. The
// rules (title, time window, who may do what in which state) are lib/live/state.ts's, the
// same functions the API calls; here only the shape of the input.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formFields, userAction, type ActionState } from "@/lib/actions/run-action";
import { cancelSession, endSession, scheduleSession, startSession } from "@/lib/live/state";

const scheduleSchema = z.object({
  title: z.string({ error: "Give the session a title." }),
  // The browser turns the viewer's local date and time into an ISO string in UTC.
  scheduledAt: z.string({ error: "Pick a date and time." }).min(1, "Pick a date and time."),
});

/** Schedules a session from the profile's form (fields `title`, `scheduledAt`). */
export async function scheduleSessionAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  return userAction("schedule-live", scheduleSchema, formFields(formData), async ({ user, input }) => {
    await scheduleSession({ hostId: user.id, title: input.title, scheduledAt: input.scheduledAt });
    revalidateLive(user.username);
    return { ok: true };
  });
}

const transitionSchema = z.object({ sessionId: z.string().min(1) });

export async function startSessionAction(input: { sessionId: string }): Promise<ActionState> {
  return userAction("start-live", transitionSchema, input, async ({ user, input }) => {
    await startSession({ sessionId: input.sessionId, userId: user.id });
    revalidateLive(user.username);
    return { ok: true };
  });
}

export async function endSessionAction(input: { sessionId: string }): Promise<ActionState> {
  return userAction("end-live", transitionSchema, input, async ({ user, input }) => {
    await endSession({ sessionId: input.sessionId, userId: user.id });
    revalidateLive(user.username);
    return { ok: true };
  });
}

export async function cancelSessionAction(input: { sessionId: string }): Promise<ActionState> {
  return userAction("cancel-live", transitionSchema, input, async ({ user, input }) => {
    await cancelSession({ sessionId: input.sessionId, userId: user.id });
    revalidateLive(user.username);
    return { ok: true };
  });
}

function revalidateLive(username: string) {
  revalidatePath(`/u/${username}`);
  revalidatePath("/live");
}
