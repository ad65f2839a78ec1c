"use client";
// The last section of Settings: deleting the account, confirmed by the password.
import { useActionState } from "react";
import { deleteAccountAction } from "@/app/actions/account";
import type { ActionState } from "@/lib/actions/run-action";
import { FormError, FormField } from "@/components/ui/form-field";

export function DeleteAccountForm({ username }: { username: string }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(deleteAccountAction, {});
  return (
    <form action={formAction} className="form" noValidate aria-label="Delete account">
      <p className="muted">
        Deletes @{username} for good: your posts leave every feed, your follows, likes and reposts are undone, and you are signed
        out everywhere. Your handle stays reserved so nobody can pose as you. This cannot be undone.
      </p>
      <FormError message={state.fields ? undefined : state.error} />
      <FormField
        label="Your password"
        name="password"
        type="password"
        autoComplete="current-password"
        error={state.fields?.password}
      />
      <div className="form-actions">
        <button type="submit" className="button danger-fill" disabled={pending}>
          {pending ? "Deleting…" : "Delete my account"}
        </button>
      </div>
    </form>
  );
}
