"use client";
import { useActionState } from "react";
import { changePasswordAction } from "@/app/actions/account";
import type { ActionState } from "@/lib/actions/run-action";
import { FormError, FormField } from "@/components/ui/form-field";

export function PasswordForm() {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(changePasswordAction, {});
  const fields = state.fields ?? {};
  return (
    <form action={formAction} className="form" noValidate aria-label="Change password">
      <FormError message={state.fields ? undefined : state.error} />
      <FormField label="Current password" name="currentPassword" type="password" autoComplete="current-password" error={fields.currentPassword} />
      <FormField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters. Your other sessions will be signed out."
        error={fields.newPassword}
      />
      <FormField label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" error={fields.confirmPassword} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </button>
        <span aria-live="polite">{state.ok && !pending && <span className="form-success">Password changed.</span>}</span>
      </div>
    </form>
  );
}
