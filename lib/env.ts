// The one validated view of the environment. Everything server-side reads configuration
// from here; validation is lazy so `next build` can import modules without any services.
import { z } from "zod";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.url().optional())
  .optional();

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z.string().min(1, "DATABASE_URL is required (the launcher sets it when it starts embedded Postgres)"),
    // A read replica for the staleness-tolerant reads (db/index.ts getReadSql says which). Unset: the primary serves all.
    DATABASE_READ_URL: z.string().trim().optional().transform((v) => v || undefined),
    UPSTASH_REDIS_REST_URL: z.url("UPSTASH_REDIS_REST_URL must be a URL"),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1, "UPSTASH_REDIS_REST_TOKEN is required"),
    // Prefix for every Redis key the app writes: lets test runs share one Redis safely.
    REDIS_KEY_PREFIX: z.string().default(""),
    // 1 when the REST endpoint fronts a Redis Cluster (the launcher sets it with REDIS_CLUSTER_NODES):
    // scripts over many users' keys are then sent one per hash slot (lib/redis.ts). Unset for Upstash.
    REDIS_CLUSTER: z
      .enum(["true", "false", "1", "0", ""])
      .optional()
      .transform((v) => v === "true" || v === "1"),
    // How many posts a cached home timeline (and a superstar's outbox) keeps; older ones are read from Postgres.
    TIMELINE_CAP: z.coerce.number().int().min(2).max(100_000).default(800),
    // The feed model: Starling's hybrid, or one of the alternatives the benchmarks compare it with (lib/feed/model.ts).
    FEED_MODEL: z.enum(["hybrid", "push", "pull", "pull-merge"]).default("hybrid"),
    INNGEST_DEV: z.string().optional(),
    INNGEST_EVENT_KEY: z.string().optional(),
    INNGEST_SIGNING_KEY: z.string().optional(),
    INNGEST_BASE_URL: optionalUrl,
    AUTH_SECRET: z.string().optional(),
    // Where people reach the app (scheme, host, port): Auth.js' redirects after login and
    // logout point here. AUTH_URL, when set, wins; without either, http://localhost:PORT.
    PUBLIC_URL: optionalUrl,
    // How many reverse proxies in front of the app append to X-Forwarded-For and set
    // X-Forwarded-Host (lib/client-ip.ts). 0: none, both headers are ignored.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // How long a process trusts its last look at a session row: a session revoked by
    // another process stops working within this time (lib/auth/sessions.ts).
    SESSION_CHECK_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
    // Where the local stand-ins keep their data; uploads go to its media/ folder unless S3_BUCKET is set.
    STARLING_DATA_DIR: z.string().trim().min(1).default(".data"),
    // Uploads in an S3-compatible bucket (lib/storage/s3.ts) instead of local files.
    S3_BUCKET: z.string().trim().optional().transform((v) => v || undefined),
    S3_ENDPOINT: optionalUrl,
    S3_REGION: z.string().trim().optional().transform((v) => v || undefined),
    S3_ACCESS_KEY_ID: z.string().optional().transform((v) => v || undefined),
    S3_SECRET_ACCESS_KEY: z.string().optional().transform((v) => v || undefined),
    S3_FORCE_PATH_STYLE: z
      .enum(["true", "false", "1", "0", ""])
      .optional()
      .transform((v) => v === "true" || v === "1"),
    ADMIN_EMAILS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      ),
  })
  .superRefine((env, ctx) => {
    // In dev mode the Inngest serve handler skips signature checks, so a production app
    // never runs with INNGEST_DEV, not even locally: the launcher's orchestrator signs too.
    if (env.NODE_ENV === "production" && env.INNGEST_DEV && env.INNGEST_DEV !== "0" && env.INNGEST_DEV !== "false") {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_DEV"],
        message:
          "INNGEST_DEV is set in production: the Inngest endpoint would accept unsigned requests. Unset it and set INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY.",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`));
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment, parsed on first use. */
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Lets tests re-read process.env after changing it. */
export function resetEnvCache(): void {
  cached = undefined;
}
