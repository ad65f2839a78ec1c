"use client";
import { useActionState } from "react";
import { updateProfileAction, type ProfileState } from "@/app/actions/profile";
import { FormError, FormField } from "@/components/ui/form-field";

export function ProfileForm({ displayName, bio }: { displayName: string; bio: string }) {
  const [state, formAction, pending] = useActionState<ProfileState, FormData>(updateProfileAction, {});
  const values = state.values ?? { displayName, bio };
  const fields = state.fields ?? {};
  return (
    // Keyed by the saved values: React resets a form after its action, and the reset must
    // land on what was just saved (or submitted), not on the values the page first had.
    <form key={`${values.displayName}\n${values.bio}`} action={formAction} className="form" noValidate>
      <FormError message={state.fields ? undefined : state.error} />
      <FormField
        label="Display name"
        name="displayName"
        autoComplete="name"
        hint="Up to 50 characters."
        defaultValue={values.displayName}
        error={fields.displayName}
      />
      <FormField
        label="Bio"
        name="bio"
        multiline
        rows={3}
        hint="Up to 160 characters."
        defaultValue={values.bio}
        error={fields.bio}
      />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
        <span aria-live="polite">{state.ok && !pending && <span className="form-success">Saved.</span>}</span>
      </div>
    </form>
  );
}
