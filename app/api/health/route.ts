import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await checkHealth();
  const down = Object.entries(report.services)
    .filter(([, s]) => !s.ok)
    .map(([name]) => name);
  return Response.json(
    { status: report.ok ? "ok" : "down", down, services: report.services },
    { status: report.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
