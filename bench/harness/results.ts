// The shape of one benchmark run, as written to bench/results/<run>.json and rendered
// into the Markdown report. Every latency is in milliseconds, every rate per second.

export const RESULTS_VERSION = 1;

/** "pull" is the textbook IN … ORDER BY query, "pull-merge" the honest pull (one index walk per followee, merged). */
export type FeedModel = "hybrid" | "push" | "pull" | "pull-merge";
export const FEED_MODELS: readonly FeedModel[] = ["hybrid", "push", "pull-merge", "pull"];

/** The readers the read benchmarks use; `reposts` is a warm reader like `warm` whose feed is about half reposts. */
export type ReaderKind = "warm" | "reposts" | "cold" | "follows2000" | "superstars";

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** One load-generator run (autocannon) at one concurrency. */
export interface LoadResult {
  connections: number;
  requests: number;
  durationS: number;
  rps: number;
  latency: Latency;
  /** Socket errors and timeouts. */
  errors: number;
  /** Answers outside 2xx: a correct benchmark has none. */
  non2xx: number;
  /** What each request cost the stack (bench/harness/cpu.ts); absent in older runs and loads not costed. */
  cost?: WorkCost;
}

/** The roles whose CPU is counted: Next.js, the launcher (REST bridge + Inngest stand-in), Postgres (every process of the server), redis-server, the bench process (load generator). */
export type CostRole = "next" | "launcher" | "postgres" | "redis" | "loadgen";

/** The stack's work over one measured load (or a fan-out), divided by `units`: requests completed, or deliveries. */
export interface WorkCost {
  units: number;
  /** Seconds between the two samples. */
  wallS: number;
  /** CPU ms per unit by role; null where the role's processes were not found (e.g. a remote Postgres). */
  cpuMs: Record<CostRole, number | null>;
  /** Per unit, on the harness's redis-server: commands (those a script runs included), bytes received and sent, and commands by name. */
  redis: { commands: number; bytesIn: number; bytesOut: number; byCommand: Record<string, number> } | null;
  /** Postgres transactions, when the scenario counted them over this window. */
  pg?: PgCost;
}

/** Postgres transactions (commits + rollbacks in pg_stat_database) of the world's database over a series of loads. */
export interface PgCost {
  xacts: number;
  units: number;
  perUnit: number;
  /** Read after the backends published their counts (see PG_STATS_SETTLE_MS); false: low by up to a second of load. */
  settled: boolean;
}

export interface ReadSeries {
  model: FeedModel;
  reader: ReaderKind;
  /** Who read, e.g. "reader_2000 (follows 2000)" or "600 cold readers (following 100–300)". */
  readerDetail: string;
  loads: LoadResult[];
  /** Items of the reader's first page there by a repost (reason ≠ null), of `firstPageItems`, as checked before the loads. */
  firstPageReposts?: number;
  firstPageItems?: number;
  /** Postgres transactions per request over the series (its warm-up and measured loads). */
  pg?: PgCost;
}

export interface FanoutResult {
  author: string;
  followers: number;
  /** Share of the author's followers made active (last seen now, timeline in Redis). */
  activeFraction: number;
  active: number;
  /** Timelines that held the post when the run was checked (must equal `active`). */
  delivered: number;
  /** Publish (POST /api/v1/posts answered) → the last active follower's timeline holds the post. */
  publishToLastMs: number;
  /** The same lag as the app records it (post created_at → the batch that completed it). */
  recordedLagMs: number | null;
  deliveriesPerS: number;
  batches: number;
  /** What the fan-out cost the stack per delivery (bench/harness/cpu.ts startCostMeter), publish to the last batch. */
  cost?: WorkCost;
}

/** A repost's fan-out, measured like a post's: the author reposts a post of the world, to the same active followers. */
export interface RepostFanoutResult extends FanoutResult {
  /** The post reposted. */
  postId: string;
}

/** First pages of the Live feed (GET /api/v1/feed/live, no cursor) of one viewer. */
export interface LiveSeries {
  viewer: string;
  /** Hosts the viewer follows, and how many the scenario asked for (more than the world's hosts in a small world). */
  hosts: number;
  wanted: number;
  /** The first page as checked before the loads: items by status (live first, then upcoming, then replays), and the last check's time with nothing else running (ms). */
  firstPage: { live: number; upcoming: number; ended: number; hasNextPage: boolean; aloneMs?: number };
  loads: LoadResult[];
}

/** A replay's fan-out: a host ends a live session; every active follower's replay queue must hold it. */
export interface ReplayFanoutResult {
  host: string;
  followers: number;
  /** Share of the host's followers made active (seen recently, replay queue in Redis). */
  activeFraction: number;
  active: number;
  /** Queues that held the replay at its ended_at when the run was checked (must equal `active`). */
  delivered: number;
  /** POST /api/v1/live/{id}/end sent → the last active follower's queue `rq:<id>` holds the replay (found by polling every queue still missing it). */
  endToLastMs: number;
  /** When a queue was last seen without it: the last one got it between this and `endToLastMs`. */
  notBeforeMs?: number;
  /** Passes over the queues still missing it. */
  polls: number;
  deliveriesPerS: number;
  batches: number;
}

/** A server-rendered page read logged in (the `reads` scenario): the home page, a profile, or the constant page that is their floor. */
export interface PageSeries {
  page: "floor" | "home" | "profile";
  /** The path read, e.g. "/u/user_1". */
  path: string;
  /** Who read it and what it shows. */
  detail: string;
  /** Size of the HTML as checked before the loads. */
  bytes: number;
  loads: LoadResult[];
  /** Postgres transactions per request over the series (its warm-up and measured loads). */
  pg?: PgCost;
}

/** Finding people (the `people` scenario): search and who-to-follow, through the API. */
export interface PeopleSeries {
  endpoint: "search/users" | "search/posts" | "suggestions";
  /** What was asked, e.g. "30 queries: 10 exact handles, 10 prefixes, 10 misspelt names" or the suggestions' reader. */
  detail: string;
  /** Items of the first answers as checked before the loads (every query or reader). */
  items: { min: number; max: number };
  loads: LoadResult[];
}

export interface RebuildSingle {
  reader: string;
  followees: number;
  samples: number;
  /** Whole request: GET /api/v1/feed with the timeline missing. */
  p50Ms: number;
  p99Ms: number;
}

export interface RebuildHerd {
  reader: string;
  followees: number;
  concurrent: number;
  /** Rebuilds the app counted during the burst (the target is exactly 1). */
  rebuilds: number;
  latency: Latency;
  /** Every request answered 200 with a full first page. */
  allOk: boolean;
}

export interface MemoryResult {
  cap: number;
  timelines: number;
  entriesPerTimeline: number;
  /** used_memory growth divided by the entries written. */
  bytesPerEntry: number;
  /** One full timeline (cap entries + key), i.e. what an active user costs. */
  bytesPerActiveUser: number;
  /** MEMORY USAGE of one full timeline key, for comparison. */
  memoryUsageOfOneKey: number;
}

export interface MachineLimits {
  redis: { zaddPerS: number; zrangePerS: number; pipeline: number } | { skipped: string };
  /** A Next.js route returning constant JSON, under the same load as the feed reads. */
  floor: LoadResult[];
  pgPkLookupsPerS: number;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  postgres: string;
  redis: string;
  loadAverageAtStart: number[];
}

export interface WorldSummary {
  preset: string;
  users: number;
  follows: number;
  posts: number;
  /** Absent in runs from before the world had reposts. */
  reposts?: number;
  /** Absent in runs from before the world had live sessions. */
  liveSessions?: { hosts: number; live: number; upcoming: number; ended: number; cancelled: number };
  superstars: number;
  activeUsers: number;
  /** Generation time when this run built it; null when a stored world was reused. */
  generatedS: number | null;
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

export interface BenchRun {
  version: typeof RESULTS_VERSION;
  id: string;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  scenarios: string[];
  /** Seconds per load-generator run. */
  loadDurationS: number;
  concurrencies: number[];
  machine: MachineInfo;
  world: WorldSummary;
  limits?: MachineLimits;
  reads?: ReadSeries[];
  fanout?: FanoutResult[];
  /** Reposts by one fan-out author (author_100k where the world has it), at the same active fractions as its posts. */
  repostFanout?: RepostFanoutResult[];
  rebuild?: { single: RebuildSingle[]; herd?: RebuildHerd };
  /** Logged-in server-rendered pages next to their constant floor. */
  pages?: PageSeries[];
  /** Search and suggestions. */
  people?: PeopleSeries[];
  /** The Live feed's first page for viewers following 5, 50 and 2000 hosts. */
  live?: LiveSeries[];
  /** A host with (up to) 100k followers ending a session, at the post fan-out's active shares. */
  replayFanout?: ReplayFanoutResult[];
  memory?: MemoryResult;
  targets: TargetCheck[];
  notes: string[];
}
