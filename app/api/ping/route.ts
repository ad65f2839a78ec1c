// GET /api/ping → {"ok":true}: a route that does nothing, so a load generator measures
// the framework's own floor (routing, a response) on this machine. The benchmarks report
// the feed's figures as ratios to it (bench/). Dynamic on purpose: a static file would
// measure the file server instead.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ ok: true });
}
