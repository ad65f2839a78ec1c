// A labelled input or textarea with its hint and its error, wired up with aria-describedby
// so a screen reader reads the problem with the field.
import type { InputHTMLAttributes, TextareaHTMLAttributes } from "react";

interface CommonProps {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  optional?: boolean;
}

type InputProps = CommonProps & { multiline?: false } & Omit<InputHTMLAttributes<HTMLInputElement>, "name">;
type TextareaProps = CommonProps & { multiline: true } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name">;

export function FormField(props: InputProps | TextareaProps) {
  const { label, name, error, hint, optional, id: givenId, ...rest } = props;
  const id = givenId ?? `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {rest.multiline ? (
        <textarea {...common} {...withoutMultiline(rest)} />
      ) : (
        <input {...common} {...withoutMultiline(rest)} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function withoutMultiline<T extends { multiline?: boolean }>(props: T): Omit<T, "multiline"> {
  const { multiline: _multiline, ...rest } = props;
  return rest;
}

/** The form-wide message (e.g. "Wrong email or password."), announced when it appears. */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="form-error">
      {message}
    </p>
  );
}
