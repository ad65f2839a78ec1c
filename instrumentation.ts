// Runs once when a Next.js server starts. The outbox relay's sweep delivers the events that
// are still undelivered (Inngest was unreachable, or a process died right after a commit),
// now and then every few seconds.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { outboxRelay } = await import("./lib/events/relay");
  outboxRelay().start();
}
