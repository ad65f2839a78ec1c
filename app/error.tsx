"use client";
// What a person sees when a page fails unexpectedly: a plain message and a retry, never
// details (the server has logged them; `digest` ties this view to that log line).
import { useEffect } from "react";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error("page failed", error.digest ?? error);
  }, [error]);
  return (
    <section className="card empty-state" aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p className="muted">This page could not be shown. Please try again in a moment.</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
