// The world's description, kept in the world's own database (a `bench_world` table the
// generator creates; not part of the app's migrations): which preset and parameters built
// it, whether it was finished, and the accounts the benchmarks look up.
import type postgres from "postgres";
import { GENERATOR_VERSION, type PresetName, type WorldParams } from "./presets";

export interface Account {
  id: string;
  username: string;
}

export interface Reader extends Account {
  /** Followees asked for (100, 2000, 10 superstars) and actually followed (fewer only in a world too small). */
  wanted: number;
  following: number;
}

/** The reader whose feed is about half reposts. */
export interface RepostsReader extends Reader {
  /** Of the newest 20 items of its feed when the world was built, how many were there by a repost. */
  firstPageReposts: number;
  /** The share (0–1) of its newest 200 feed items there by a repost. */
  repostShare: number;
}

export interface Author extends Account {
  /** "1k", "100k", "1m" (or the bare number for smaller targets). */
  label: string;
  wanted: number;
  followers: number;
}

export interface WorldAccounts {
  /** Every generated account, special or not, logs in with this password. */
  password: string;
  /** Emails are `<username>@<emailDomain>`. */
  emailDomain: string;
  readers: {
    /** Follows 100 ordinary accounts (no superstars). */
    follows100: Reader;
    /** Follows 2000 ordinary accounts (no superstars): the follow cap. */
    follows2000: Reader;
    /** Follows the 10 most-followed superstars and nobody else. */
    followsSuperstars: Reader;
    /** Follows ~100 ordinary accounts picked so that about half of its feed is reposts. */
    halfReposts: RepostsReader;
  };
  /** Ordinary (never superstar, so pushed to) accounts with a fixed audience, for fan-out. */
  authors: Author[];
  /**
   * Live-tab viewers: each follows that many hosts (accounts with live sessions) and nobody
   * else, every one of them following the first host, who is live (fewer hosts only in a
   * world with fewer: `following` < `wanted`).
   */
  viewers: {
    follows5: Reader;
    follows50: Reader;
    follows2000: Reader;
  };
  /** Flagged is_superstar: the most-followed ordinary accounts, most-followed first. */
  superstars: Array<Account & { followers: number }>;
}

export interface WorldCounts {
  users: number;
  follows: number;
  posts: number;
  reposts: number;
  /** Users with at least one repost. */
  reposters: number;
  /** Users seen within the last day when the world was built (the active fraction). */
  activeUsers: number;
  superstars: number;
  maxFollowing: number;
  maxFollowers: number;
  /** Live sessions by state at the world's clock, and the accounts hosting them. */
  live: LiveCounts;
}

export interface LiveCounts {
  hosts: number;
  live: number;
  upcoming: number;
  ended: number;
  cancelled: number;
}

export interface WorldMeta {
  preset: PresetName;
  params: WorldParams;
  generatorVersion: number;
  status: "generating" | "complete";
  /** The world's clock: posts and follows lie in the `params.days` before it. */
  clock: string;
  /** What last_active_at values are relative to; moved forward when an old world is reused. */
  activityClock: string;
  startedAt: string;
  completedAt?: string;
  durationMs?: number;
  /** Milliseconds per generation step. */
  steps?: Record<string, number>;
  accounts?: WorldAccounts;
  counts?: WorldCounts;
  /** Rows above these were added after generation (by a benchmark run). */
  maxUserId?: string;
  maxPostId?: string;
}

export type CompleteWorldMeta = WorldMeta & Required<Pick<WorldMeta, "completedAt" | "durationMs" | "steps" | "accounts" | "counts" | "maxUserId" | "maxPostId">>;

export async function readMeta(sql: postgres.Sql): Promise<WorldMeta | undefined> {
  const [exists] = await sql<[{ found: boolean }]>`select to_regclass('public.bench_world') is not null as found`;
  if (!exists?.found) return undefined;
  const [row] = await sql<Array<{ meta: WorldMeta }>>`select meta from bench_world where id = 1`;
  return row?.meta;
}

export async function writeMeta(sql: postgres.Sql, meta: WorldMeta): Promise<void> {
  await sql`create table if not exists bench_world (
    id int primary key check (id = 1),
    preset text not null,
    status text not null,
    meta jsonb not null,
    updated_at timestamptz not null default now())`;
  await sql`
    insert into bench_world (id, preset, status, meta) values (1, ${meta.preset}, ${meta.status}, ${sql.json(JSON.parse(JSON.stringify(meta)))})
    on conflict (id) do update set preset = excluded.preset, status = excluded.status, meta = excluded.meta, updated_at = now()`;
}

/** Same preset, same parameters, same generator: the stored world is the one asked for. */
export function sameWorld(meta: WorldMeta, preset: PresetName, params: WorldParams): boolean {
  return meta.preset === preset && meta.generatorVersion === GENERATOR_VERSION && stableJson(meta.params) === stableJson(params);
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
