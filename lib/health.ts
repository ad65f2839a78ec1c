import "server-only";
// Reachability of the three backing services, for GET /api/health and the launcher.
// Postgres is the source of truth: without it the site is down. Redis holds caches the
// app can do without (feeds are pulled from Postgres, rate limits counted in process) and
// Inngest does background work that waits for it (the outbox re-delivers), so either one
// missing leaves the site degraded, not down.
import { outboxBacklog, type OutboxBacklog } from "./events/outbox";
import { getEnv } from "./env";
import { withTimeout } from "./with-timeout";
import type { BreakerState } from "./redis-breaker";
import { getRedis, redisBreaker } from "./redis";

export type ServiceName = "postgres" | "redis" | "inngest";
export interface ServiceHealth {
  ok: boolean;
  latencyMs: number;
  error?: string;
  /** Redis only: the state of the circuit breaker in front of it. */
  circuit?: BreakerState;
}
export type HealthStatus = "ok" | "degraded" | "down";
export interface HealthReport {
  status: HealthStatus;
  /** The services that did not answer. */
  down: ServiceName[];
  services: Record<ServiceName, ServiceHealth>;
  /** Events committed but not yet delivered to Inngest (absent when Postgres does not answer). */
  outbox?: OutboxBacklog;
}

const TIMEOUT_MS = 2_000;

export async function checkHealth(): Promise<HealthReport> {
  let outbox: OutboxBacklog | undefined;
  const [postgres, redis, inngest] = await Promise.all([
    probe(async () => void (outbox = await outboxBacklog())),
    // Through the breaker: while it is open this answers at once, and says so.
    probe(async () => void (await getRedis().ping())),
    probe(checkInngest),
  ]);
  const services = { postgres, redis: { ...redis, circuit: redisBreaker().state }, inngest };
  const down = (Object.keys(services) as ServiceName[]).filter((name) => !services[name].ok);
  const status: HealthStatus = !postgres.ok ? "down" : down.length > 0 ? "degraded" : "ok";
  return { status, down, services, ...(outbox ? { outbox } : {}) };
}

async function probe(check: () => Promise<void>): Promise<ServiceHealth> {
  const started = performance.now();
  try {
    await withTimeout(check(), TIMEOUT_MS);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: message.split("\n")[0] };
  }
}

/** Inngest is "reachable" when its server answers HTTP at all (below 500). */
async function checkInngest(): Promise<void> {
  const env = getEnv();
  const devUrl = env.INNGEST_DEV && /^https?:/.test(env.INNGEST_DEV) ? env.INNGEST_DEV : undefined;
  const base = devUrl ?? env.INNGEST_BASE_URL ?? (env.INNGEST_DEV ? "http://localhost:8288" : "https://api.inngest.com");
  const res = await fetch(new URL("/health", base), { signal: AbortSignal.timeout(TIMEOUT_MS), cache: "no-store" });
  await res.body?.cancel();
  if (res.status >= 500) throw new Error(`Inngest answered ${res.status}`);
}
