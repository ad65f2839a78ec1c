"use client";
import { useActionState } from "react";
import { loginAction, type LoginState } from "@/app/(auth)/actions";
import { FormError, FormField } from "@/components/ui/form-field";

export function LoginForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState<LoginState, FormData>(loginAction, {});
  return (
    <form action={formAction} className="form" noValidate>
      <FormError message={state.error} />
      <FormField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={state.fields?.email}
      />
      <FormField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={state.fields?.password}
      />
      {next && <input type="hidden" name="next" value={next} />}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Logging in…" : "Log in"}
      </button>
    </form>
  );
}
