// The one validated view of the environment. Everything server-side reads configuration
// from here; validation is lazy so `next build` can import modules without any services.
import { z } from "zod";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.url().optional())
  .optional();

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackUrl(value: string | undefined): boolean {
  if (!value) return false;
  try {
    return loopbackHosts.has(new URL(value).hostname);
  } catch {
    return false;
  }
}

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z.string().min(1, "DATABASE_URL is required (the launcher sets it when it starts embedded Postgres)"),
    UPSTASH_REDIS_REST_URL: z.url("UPSTASH_REDIS_REST_URL must be a URL"),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1, "UPSTASH_REDIS_REST_TOKEN is required"),
    // Prefix for every Redis key the app writes: lets test runs share one Redis safely.
    REDIS_KEY_PREFIX: z.string().default(""),
    // How many posts a cached home timeline (and a superstar's outbox) keeps; older ones are read from Postgres.
    TIMELINE_CAP: z.coerce.number().int().min(2).max(100_000).default(800),
    // The feed model: Starling's hybrid, or one of the alternatives the benchmarks compare it with (lib/feed/model.ts).
    FEED_MODEL: z.enum(["hybrid", "push", "pull"]).default("hybrid"),
    INNGEST_DEV: z.string().optional(),
    INNGEST_EVENT_KEY: z.string().optional(),
    INNGEST_SIGNING_KEY: z.string().optional(),
    INNGEST_BASE_URL: optionalUrl,
    // Set by scripts/start.ts when it runs the local Inngest orchestrator itself.
    STARLING_LOCAL_INNGEST: z.enum(["0", "1"]).default("0"),
    AUTH_SECRET: z.string().optional(),
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
    // must never run with INNGEST_DEV unless it is our own local orchestrator on loopback.
    if (env.NODE_ENV === "production" && env.INNGEST_DEV && env.INNGEST_DEV !== "0") {
      const local = env.STARLING_LOCAL_INNGEST === "1" && isLoopbackUrl(env.INNGEST_DEV);
      if (!local) {
        ctx.addIssue({
          code: "custom",
          path: ["INNGEST_DEV"],
          message:
            "INNGEST_DEV is set in production: the Inngest endpoint would accept unsigned requests. Unset it and set INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY.",
        });
      }
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
