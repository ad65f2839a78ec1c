"use server";
// Marking notifications read from the browser (the notifications page, once it shows them);
// the same lib/notifications function serves POST /api/v1/notifications/read.
import { markNotificationsRead, markReadSchema } from "@/lib/notifications/queries";
import { userAction, type ActionState } from "@/lib/actions/run-action";

export interface MarkReadState extends ActionState {
  /** Unread notifications left. */
  count?: number;
}

export async function markNotificationsReadAction(input: { upToId?: string }): Promise<MarkReadState> {
  return userAction("mark-notifications-read", markReadSchema, input, async ({ user, input }) => {
    const { count } = await markNotificationsRead({ userId: user.id, upToId: input.upToId });
    return { ok: true, count };
  });
}
