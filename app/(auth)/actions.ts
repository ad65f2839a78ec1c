"use server";
// Log in, register and log out. Auth.js' signIn ends a successful login by throwing
// Next's redirect, so only Auth.js' own errors are caught here; everything else rethrows.
import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth";
import { clientIp } from "@/lib/client-ip";
import { registerSchema, registerUser } from "@/lib/users/register";
import { fieldErrors } from "@/lib/validation";
import { safeNextPath } from "@/lib/pages";
import { formFields, GENERIC_ERROR, toActionState, type ActionState } from "@/lib/actions/run-action";

export interface LoginState extends ActionState {
  values?: { email: string };
}

export interface RegisterState extends ActionState {
  values?: { username: string; email: string; displayName: string };
}

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address."),
  password: z.string().min(1, "Enter your password."),
  next: z.string().optional(),
});

export async function loginAction(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const raw = formFields(formData);
  const values = { email: raw.email ?? "" };
  const parsed = loginSchema.safeParse(raw);
  if (!parsed.success) return { fields: fieldErrors(parsed.error), values };
  const { email, password, next } = parsed.data;
  try {
    await signIn("credentials", { email, password, redirectTo: safeNextPath(next) ?? "/" });
  } catch (error) {
    if (error instanceof AuthError) return { error: loginErrorMessage(error), values };
    throw error; // NEXT_REDIRECT on success
  }
  return { values };
}

export async function registerAction(_prev: RegisterState, formData: FormData): Promise<RegisterState> {
  const raw = formFields(formData);
  const values = { username: raw.username ?? "", email: raw.email ?? "", displayName: raw.displayName ?? "" };
  const parsed = registerSchema.safeParse(raw);
  if (!parsed.success) return { fields: fieldErrors(parsed.error), values };
  const { username, email, password, displayName } = parsed.data;
  try {
    await registerUser({ username, email, password, displayName }, { ip: clientIp(await headers()) });
  } catch (error) {
    return { ...toActionState(error, { action: "register" }), values };
  }
  try {
    await signIn("credentials", { email, password, redirectTo: "/" });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    // The account exists; only the automatic login failed (e.g. the login rate limit).
    console.error("login after registration failed", { username, error });
    redirect(`/login?registered=1`);
  }
  return { values };
}

export async function logoutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}

function loginErrorMessage(error: AuthError): string {
  if (error instanceof CredentialsSignin) {
    return error.code === "rate_limited"
      ? "Too many login attempts. Wait a few minutes, then try again."
      : "Wrong email or password.";
  }
  // A CallbackRouteError wraps an unexpected failure inside authorize (e.g. the database).
  console.error("login failed unexpectedly", { type: error.type, error });
  return GENERIC_ERROR;
}
