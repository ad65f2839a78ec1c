"use client";
import { useActionState } from "react";
import { registerAction, type RegisterState } from "@/app/(auth)/actions";
import { FormError, FormField } from "@/components/ui/form-field";

export function RegisterForm() {
  const [state, formAction, pending] = useActionState<RegisterState, FormData>(registerAction, {});
  const fields = state.fields ?? {};
  return (
    <form action={formAction} className="form" noValidate>
      <FormError message={state.fields ? undefined : state.error} />
      <FormField
        label="Username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        hint="3–30 letters, digits or underscores. Your profile lives at /u/username."
        defaultValue={state.values?.username}
        error={fields.username}
      />
      <FormField
        label="Display name"
        name="displayName"
        autoComplete="name"
        optional
        hint="The name people see. You can change it later."
        defaultValue={state.values?.displayName}
        error={fields.displayName}
      />
      <FormField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={fields.email}
      />
      <FormField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        error={fields.password}
      />
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
