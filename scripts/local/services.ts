// Chooses each backing service from the environment and starts the local stand-ins the
// environment calls for. The launcher (scripts/start.ts) and the test harness both use
// it, so "what runs where" is decided in exactly one place.
import crypto from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "./postgres";
import { startPrivateRedis } from "./redis-server";
import { startRedisBridge } from "./redis-bridge";
import { parseClusterNodes } from "./redis-bridge/cluster-pool";
import { startOrchestrator, type Orchestrator } from "./inngest/orchestrator";
import { freePort } from "./problems";
import { updateRecordedChild } from "./run-file";

export interface RunningServices {
  /** Variables to hand to the app (and to tests) so they reach the chosen services. */
  env: Record<string, string>;
  /** One line per service: which backend it uses. */
  summary: string[];
  orchestrator?: Orchestrator;
  /** Child processes started here, recorded so a later run can reap them after a kill -9. */
  children: Record<string, number>;
  stop(): Promise<void>;
}

type Env = Record<string, string | undefined>;

export const DEFAULT_EMBEDDED_PG_PORT = 54329;

export async function startServices(opts: {
  env: Env;
  /** Persistent data directory; absent = a throwaway one (tests). */
  dataDir?: string;
  /** false: tests that need Inngest start their own orchestrator. */
  inngest?: boolean;
  /** The app's own origin (e.g. http://127.0.0.1:3000): the only place the orchestrator calls. */
  serveOrigin?: string;
  log?: (line: string) => void;
}): Promise<RunningServices> {
  const { env, log } = opts;
  const out: Record<string, string> = {};
  const summary: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  const children: Record<string, number> = {};
  const stop = async () => {
    // Reverse order: the orchestrator and bridge go before the stores they talk to.
    for (const fn of stops.reverse()) await fn().catch((e: unknown) => log?.(`stop failed: ${String(e)}`));
  };

  try {
    // Postgres
    if (env.DATABASE_URL) {
      summary.push(`postgres  ${redactUrl(env.DATABASE_URL)} (DATABASE_URL)`);
    } else {
      const ephemeral = !opts.dataDir;
      const dataDir = opts.dataDir
        ? path.join(opts.dataDir, "postgres")
        : await fs.mkdtemp(path.join(os.tmpdir(), "starling-pg-"));
      const port = Number(env.LOCAL_POSTGRES_PORT) || (ephemeral ? await freePort() : DEFAULT_EMBEDDED_PG_PORT);
      const pg = await startEmbeddedPostgres({ dataDir, port, log });
      stops.push(async () => {
        await pg.stop();
        if (ephemeral) await fs.rm(dataDir, { recursive: true, force: true });
      });
      out.DATABASE_URL = pg.url;
      summary.push(`postgres  embedded, port ${port}, data in ${ephemeral ? "a temporary directory" : path.relative(process.cwd(), dataDir)}`);
    }

    // Redis: Upstash > a Redis Cluster behind the bridge > REDIS_URL behind the bridge > a
    // private redis-server behind the bridge
    if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
      summary.push(`redis     Upstash ${redactUrl(env.UPSTASH_REDIS_REST_URL)}`);
    } else if (env.REDIS_CLUSTER_NODES) {
      const nodes = parseClusterNodes(env.REDIS_CLUSTER_NODES);
      const token = crypto.randomBytes(24).toString("base64url");
      const bridge = await startRedisBridge({ redisUrl: "", clusterNodes: nodes, token, port: Number(env.LOCAL_REDIS_BRIDGE_PORT) || 0 });
      stops.push(bridge.close);
      out.UPSTASH_REDIS_REST_URL = bridge.url;
      out.UPSTASH_REDIS_REST_TOKEN = token;
      // The app splits its many-user scripts by hash slot (lib/redis.ts).
      out.REDIS_CLUSTER = "1";
      summary.push(`redis     Redis Cluster ${env.REDIS_CLUSTER_NODES} (REDIS_CLUSTER_NODES) behind the local REST bridge`);
    } else {
      let redisUrl = env.REDIS_URL;
      if (redisUrl) {
        summary.push(`redis     ${redactUrl(redisUrl)} (REDIS_URL) behind the local REST bridge`);
      } else {
        const redis = await startPrivateRedis({
          port: Number(env.LOCAL_REDIS_PORT) || undefined,
          log,
          // The supervisor restarted it: the run file must name the new process for a later reap.
          onRestart: (pid) => {
            if (!pid) return;
            children.redis = pid;
            if (opts.dataDir) updateRecordedChild(opts.dataDir, "redis", pid);
          },
        });
        stops.push(redis.stop);
        if (redis.pid) children.redis = redis.pid;
        redisUrl = redis.url;
        out.REDIS_URL = redis.url;
        summary.push(`redis     private redis-server at ${redis.url} behind the local REST bridge`);
      }
      const token = crypto.randomBytes(24).toString("base64url");
      const bridge = await startRedisBridge({ redisUrl, token, port: Number(env.LOCAL_REDIS_BRIDGE_PORT) || 0 });
      stops.push(bridge.close);
      out.UPSTASH_REDIS_REST_URL = bridge.url;
      out.UPSTASH_REDIS_REST_TOKEN = token;
    }

    // Inngest: the SDK's own variables select Cloud or a self-hosted server.
    let orchestrator: Orchestrator | undefined;
    if (opts.inngest === false) {
      summary.push("inngest   not started (tests start their own orchestrator)");
    } else if (usesRemoteInngest(env)) {
      summary.push(`inngest   ${env.INNGEST_BASE_URL ?? "Inngest Cloud"} (INNGEST_* variables)`);
    } else {
      // Signed like Inngest Cloud, with keys kept beside the data; durable when there is a data dir.
      const keys = localInngestKeys(opts.dataDir);
      const journalDir = opts.dataDir ? path.join(opts.dataDir, "inngest") : undefined;
      orchestrator = await startOrchestrator({
        port: Number(env.LOCAL_INNGEST_PORT) || 0,
        log,
        signingKey: keys.signingKey,
        eventKey: keys.eventKey,
        serveOrigin: opts.serveOrigin,
        journalDir,
      });
      stops.push(() => orchestrator!.close());
      out.INNGEST_BASE_URL = orchestrator.url;
      out.INNGEST_SIGNING_KEY = keys.signingKey;
      out.INNGEST_EVENT_KEY = keys.eventKey;
      if (opts.serveOrigin) out.INNGEST_SERVE_ORIGIN = opts.serveOrigin;
      const where = journalDir ? `journal in ${path.relative(process.cwd(), journalDir) || "."}` : "in memory";
      summary.push(`inngest   local orchestrator at ${orchestrator.url} (signed, ${where})`);
    }

    return { env: out, summary, orchestrator, children, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The local orchestrator's keys, in Inngest's formats: generated once into the data
 * directory (so a restarted launcher and an app still running agree), or per run without one.
 */
export function localInngestKeys(dataDir?: string): { signingKey: string; eventKey: string } {
  const fresh = { signingKey: `signkey-local-${crypto.randomBytes(32).toString("hex")}`, eventKey: crypto.randomBytes(32).toString("hex") };
  if (!dataDir) return fresh;
  const dir = path.join(dataDir, "inngest");
  mkdirSync(dir, { recursive: true });
  const read = (name: keyof typeof fresh, file: string) => {
    const at = path.join(dir, file);
    if (existsSync(at)) return readFileSync(at, "utf8").trim();
    writeFileSync(at, fresh[name], { mode: 0o600 });
    return fresh[name];
  };
  return { signingKey: read("signingKey", "signing-key"), eventKey: read("eventKey", "event-key") };
}

/** Any of the SDK's connection variables means a real Inngest (Cloud or self-hosted). */
export function usesRemoteInngest(env: Env): boolean {
  return Boolean(env.INNGEST_DEV || env.INNGEST_EVENT_KEY || env.INNGEST_SIGNING_KEY || env.INNGEST_BASE_URL);
}

export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(unparseable URL)";
  }
}
