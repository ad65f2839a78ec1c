import "server-only";
// The one wrapper every server action goes through: authenticate, validate (zod), then the
// action itself (which authorises and acts through lib/ and revalidates). AppErrors become
// state a form shows next to its fields; anything else is logged and shown as a generic
// message. Next.js control flow (redirect, notFound) passes through untouched.
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { asUnavailable, isAppError, unauthenticated } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

/** What a server action gives back to useActionState / a transition. */
export interface ActionState {
  ok?: boolean;
  error?: string;
  fields?: Record<string, string>;
}

export const GENERIC_ERROR = "Something went wrong on our side. Please try again.";

export function toActionState(error: unknown, context: { action: string; userId?: string }): ActionState {
  unstable_rethrow(error);
  if (isAppError(error)) {
    if (error.status === 401) return { error: "Your session has ended: log in again." };
    return { error: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  }
  const outage = asUnavailable(error);
  if (outage) {
    console.warn("a backing service is unavailable", { ...context, error: error instanceof Error ? error.message : String(error) });
    return { error: outage.message };
  }
  console.error("unexpected error in server action", { ...context, error });
  return { error: GENERIC_ERROR };
}

/** The logged-in user, validated input, then `act`; errors become ActionState. */
export async function userAction<S extends z.ZodType, R extends ActionState>(
  name: string,
  schema: S,
  rawInput: unknown,
  act: (args: { user: CurrentUser; input: z.output<S> }) => Promise<R>,
): Promise<R | ActionState> {
  let user: CurrentUser | null = null;
  try {
    user = await getCurrentUser();
    if (!user) throw unauthenticated();
    const input = parseInput(schema, rawInput);
    return await act({ user, input });
  } catch (error) {
    return toActionState(error, { action: name, userId: user?.id });
  }
}

/**
 * A form's fields as a plain object (FormData values that are strings). An action can be
 * called by anyone with any arguments: anything but FormData reads as an empty form, so
 * the action's own validation answers it with its ordinary error state.
 */
export function formFields(formData: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!(formData instanceof FormData)) return fields;
  for (const [key, value] of formData) if (typeof value === "string" && !key.startsWith("$ACTION")) fields[key] = value;
  return fields;
}
