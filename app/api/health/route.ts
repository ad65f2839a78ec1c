import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

/** 200 when the site serves (`ok`, or `degraded` naming what is missing), 503 when it cannot (`down`: no Postgres). */
export async function GET() {
  const report = await checkHealth();
  return Response.json(report, { status: report.status === "down" ? 503 : 200, headers: { "cache-control": "no-store" } });
}
