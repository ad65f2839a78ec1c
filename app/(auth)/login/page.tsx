import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/pages";
import { LoginForm } from "@/components/account/login-form";
import { getCurrentUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getCurrentUser()) redirect(next ?? "/");
  return (
    <section className="card auth" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      {params.registered === "1" && (
        <p className="form-success">Your account is ready. Log in to continue.</p>
      )}
      <LoginForm next={next} />
      <p className="muted">
        New to Starling? <Link href="/register">Create an account</Link>
      </p>
    </section>
  );
}
