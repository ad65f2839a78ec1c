// The functions an app registered at sync: their step URLs, retries, triggers and the flow
// controls this orchestrator enforces. Options it cannot honour are reported, never
// silently dropped.
import { z } from "zod";
import { compileExpression, evaluateKey, matches, type CompiledExpression } from "./expressions";
import type { EventPayload } from "./intake";
import type { Bucket } from "./limiter";

/** Inngest retries a function or step 4 times after the first attempt unless told otherwise. */
export const DEFAULT_RETRIES = 4;

export interface ConcurrencyLimit {
  limit: number;
  key?: CompiledExpression;
  scope: "fn" | "env" | "account";
}

export interface FunctionDef {
  id: string;
  name: string;
  appUrl: string;
  /** The SDK's step URL, already carrying `fnId` and `stepId=step`. */
  stepUrl: string;
  maxAttempts: number;
  triggers: Array<{ event: string; expression?: CompiledExpression }>;
  idempotency?: CompiledExpression;
  concurrency: ConcurrencyLimit[];
}

export interface SyncReport {
  appUrl: string;
  appId?: string;
  syncKind: "in_band" | "out_of_band";
  /** Full function ids (`<app id>-<function id>`), including generated `-failure` handlers. */
  functions: string[];
  warnings: string[];
}

const concurrencyOption = z.looseObject({
  limit: z.number(),
  key: z.string().optional(),
  scope: z.enum(["fn", "env", "account"]).optional(),
});

const functionConfigSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  triggers: z
    .array(z.looseObject({ event: z.string().optional(), expression: z.string().optional(), cron: z.string().optional() }))
    .default([]),
  steps: z.record(
    z.string(),
    z.looseObject({
      runtime: z.looseObject({ type: z.string().optional(), url: z.string() }),
      retries: z.looseObject({ attempts: z.number().optional() }).optional(),
    }),
  ),
  idempotency: z.string().optional(),
  concurrency: z.union([z.number(), concurrencyOption, z.array(concurrencyOption)]).optional(),
});

const HANDLED_KEYS = new Set(["id", "name", "triggers", "steps", "idempotency", "concurrency"]);
const UNSUPPORTED_KEYS: Record<string, string> = {
  batchEvents: "batchEvents (runs get one event each)",
  rateLimit: "rateLimit (every event runs)",
  throttle: "throttle (runs start immediately)",
  debounce: "debounce (every event runs)",
  priority: "priority (runs are first come, first served)",
  cancel: "cancelOn (runs are never cancelled by events)",
  timeouts: "timeouts (runs never time out)",
  singleton: "singleton (runs may overlap)",
};

export const appConfigSchema = z.looseObject({
  url: z.string().min(1),
  appName: z.string().optional(),
  app_id: z.string().optional(),
  functions: z.array(z.unknown()),
});

export class Registry {
  private readonly fns = new Map<string, FunctionDef>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly log: (line: string) => void,
    /** When set, a function whose step URL points elsewhere is never registered. */
    private readonly allowedOrigin?: string,
  ) {}

  get size(): number {
    return this.fns.size;
  }

  get(id: string): FunctionDef | undefined {
    return this.fns.get(id);
  }

  list(): FunctionDef[] {
    return [...this.fns.values()];
  }

  /** Replaces everything previously registered from `appUrl` with `configs`. */
  register(opts: { appUrl: string; appId?: string; configs: unknown[]; syncKind: SyncReport["syncKind"] }): SyncReport {
    const warnings: string[] = [];
    const defs: FunctionDef[] = [];
    for (const [index, raw] of opts.configs.entries()) {
      const parsed = functionConfigSchema.safeParse(raw);
      if (!parsed.success) {
        warnings.push(`function #${index}: unreadable config (${parsed.error.issues[0]?.message ?? "invalid"}); skipped`);
        continue;
      }
      const def = this.compile(parsed.data, opts.appUrl, warnings);
      if (def) defs.push(def);
    }
    for (const [id, def] of this.fns) if (def.appUrl === opts.appUrl) this.fns.delete(id);
    for (const def of defs) {
      const previous = this.fns.get(def.id);
      if (previous) warnings.push(`${def.id}: also served by ${previous.appUrl}; now served by ${def.appUrl}`);
      this.fns.set(def.id, def);
    }
    for (const warning of warnings) {
      if (this.warned.has(warning)) continue;
      if (this.warned.size > 1000) this.warned.clear();
      this.warned.add(warning);
      this.log(`warning: ${warning}`);
    }
    return { appUrl: opts.appUrl, appId: opts.appId, syncKind: opts.syncKind, functions: defs.map((d) => d.id), warnings };
  }

  /** Functions whose event triggers (name and `if` expression) match the event. */
  triggeredBy(event: EventPayload): FunctionDef[] {
    return this.list().filter((fn) =>
      fn.triggers.some((t) => nameMatches(t.event, event.name) && (!t.expression || safeMatches(t.expression, event))),
    );
  }

  listensTo(eventName: string): boolean {
    return this.list().some((fn) => fn.triggers.some((t) => nameMatches(t.event, eventName)));
  }

  private compile(cfg: z.infer<typeof functionConfigSchema>, appUrl: string, warnings: string[]): FunctionDef | undefined {
    const warn = (message: string) => void warnings.push(`${cfg.id}: ${message}`);
    const skip = (message: string): undefined => warn(`${message}; function skipped`);
    const step = cfg.steps.step ?? Object.values(cfg.steps)[0];
    if (!step) return skip("no step URL in config");
    if (step.runtime.type && step.runtime.type !== "http") {
      return skip(`runtime "${step.runtime.type}" (connect) is not supported`);
    }
    let stepUrl: string;
    try {
      stepUrl = new URL(step.runtime.url).href;
    } catch {
      return skip(`step URL "${step.runtime.url}" is not a URL`);
    }
    if (this.allowedOrigin !== undefined && new URL(stepUrl).origin !== this.allowedOrigin) {
      return skip(`step URL ${stepUrl} is not on the serve origin ${this.allowedOrigin}`);
    }

    const triggers: FunctionDef["triggers"] = [];
    for (const t of cfg.triggers) {
      if (t.cron !== undefined) {
        warn(`cron trigger "${t.cron}" is not scheduled by the local orchestrator`);
        continue;
      }
      if (!t.event) continue;
      if (!t.expression) {
        triggers.push({ event: t.event });
        continue;
      }
      try {
        triggers.push({ event: t.event, expression: compileExpression(t.expression) });
      } catch (error) {
        warn(`trigger "${t.event}" if "${t.expression}" is not supported (${String(error)}); this trigger never fires`);
      }
    }

    let idempotency: CompiledExpression | undefined;
    if (cfg.idempotency) {
      try {
        idempotency = compileExpression(cfg.idempotency);
      } catch (error) {
        warn(`idempotency "${cfg.idempotency}" is not supported (${String(error)}); ignored`);
      }
    }

    const concurrency: ConcurrencyLimit[] = [];
    const limits = cfg.concurrency === undefined ? [] : Array.isArray(cfg.concurrency) ? cfg.concurrency : [cfg.concurrency];
    for (const c of limits) {
      const opt = typeof c === "number" ? { limit: c } : c;
      if (opt.limit <= 0) continue; // 0 means "the account maximum": no local limit
      let key: CompiledExpression | undefined;
      if (opt.key) {
        try {
          key = compileExpression(opt.key);
        } catch (error) {
          warn(`concurrency key "${opt.key}" is not supported (${String(error)}); this limit is ignored`);
          continue;
        }
      }
      concurrency.push({ limit: opt.limit, key, scope: opt.scope ?? "fn" });
    }

    for (const [key, value] of Object.entries(cfg)) {
      if (value === undefined || value === null || HANDLED_KEYS.has(key)) continue;
      warn(`${UNSUPPORTED_KEYS[key] ?? `unknown option "${key}"`} is not supported by the local orchestrator; ignored`);
    }

    const attempts = step.retries?.attempts;
    return {
      id: cfg.id,
      name: cfg.name ?? cfg.id,
      appUrl,
      stepUrl,
      maxAttempts: (typeof attempts === "number" && attempts >= 0 ? Math.floor(attempts) : DEFAULT_RETRIES) + 1,
      triggers,
      idempotency,
      concurrency,
    };
  }
}

/** The limiter buckets a run of `fn` for `event` must hold for each request. */
export function concurrencyBuckets(fn: FunctionDef, event: EventPayload): Bucket[] {
  return fn.concurrency.map((c, index) => {
    const value = c.key ? (evaluateKey(c.key, { event }) ?? "") : "";
    // Function scope: this function only. env/account scope: every function using the same key.
    const key = c.scope === "fn" ? `fn\n${fn.id}\n${index}\n${value}` : `${c.scope}\n${c.key?.source ?? ""}\n${value}`;
    return { key, limit: c.limit };
  });
}

/** Exact names, plus the SDK's trailing-wildcard form (`app/*`). */
export function nameMatches(pattern: string, name: string): boolean {
  return pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

function safeMatches(expr: CompiledExpression, event: EventPayload): boolean {
  try {
    return matches(expr, { event });
  } catch {
    return false;
  }
}
