// The world presets and the parameters that define a world. Two runs with the same preset
// and the same parameters build the same graph, so a stored world is reused only when
// every parameter (and the generator's version) matches.

/** Bumped whenever the generator would build a different world from the same parameters (3: live sessions and their viewers; 4: hashtags in posts). */
export const GENERATOR_VERSION = 4;

/** The app's follow cap (lib/follows/follow.ts DEFAULT_FOLLOW_LIMIT); no generated user exceeds it. */
export const FOLLOW_LIMIT = 2000;

export const PRESET_NAMES = ["tiny", "small", "medium", "large"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface WorldParams {
  /** Every account, the special readers and authors included. */
  users: number;
  /** Mean followees drawn per ordinary user (Pareto, capped at the follow limit); repeats are dropped, so the mean kept is a little lower. */
  followsPerUser: number;
  /** Tail of the out-degree distribution: smaller = a few users follow far more. */
  followsAlpha: number;
  /** Zipf exponent of whom people follow: popularity rank r is drawn with weight r^-zipf. */
  zipf: number;
  /** The most-followed ordinary accounts, flagged is_superstar (posts pulled, never pushed). */
  superstars: number;
  /** Mean posts per ordinary user (Pareto, at least 1); superstars post at least `superstarPosts`. */
  postsPerUser: number;
  superstarPosts: number;
  /** Posts per dedicated fan-out author. */
  authorPosts: number;
  /** Posts and follows are spread over this many days before the world's clock. */
  days: number;
  /** Share of ordinary users seen within the last day; the rest are NULL or > 8 days old. */
  activeFraction: number;
  /** Followers wanted for each dedicated fan-out author (capped at the ordinary users there are). */
  authorFollowers: number[];
  /** Share of ordinary users who repost at all. */
  repostFraction: number;
  /** Mean reposts per reposting user (Pareto, at least 1), of recent posts by popular accounts mostly. */
  repostsPerReposter: number;
  /** Ordinary accounts that host live sessions (capped at those there are: no superstar, nor the accounts just below them). */
  liveHosts: number;
  /** Mean ended sessions (replays) per host over the last `days` (Pareto, at least 1). */
  replaysPerHost: number;
  seed: number;
}

const base = {
  followsAlpha: 1.5,
  zipf: 1,
  superstarPosts: 200,
  authorPosts: 20,
  days: 30,
  activeFraction: 0.2,
  repostFraction: 0.25,
  repostsPerReposter: 4,
  replaysPerHost: 5,
  seed: 1,
} satisfies Partial<WorldParams>;

export const PRESETS: Record<PresetName, WorldParams> = {
  // A smoke-test world: every kind of account exists, scaled down.
  tiny: { ...base, users: 500, followsPerUser: 20, superstars: 10, postsPerUser: 3, superstarPosts: 30, authorFollowers: [100], liveHosts: 60 },
  // 2000 hosts already, so viewer_2000 follows as many in a small run as in the reference one.
  small: { ...base, users: 10_000, followsPerUser: 30, superstars: 10, postsPerUser: 5, superstarPosts: 100, authorFollowers: [1000], liveHosts: 2000 },
  medium: { ...base, users: 100_000, followsPerUser: 60, superstars: 20, postsPerUser: 5, authorFollowers: [1000, 100_000], liveHosts: 5000 },
  large: { ...base, users: 1_000_000, followsPerUser: 25, superstars: 50, postsPerUser: 5, authorFollowers: [1000, 100_000, 1_000_000], liveHosts: 20_000 },
};

export function isPresetName(value: string): value is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(value);
}

/** A preset with overrides applied, checked so a bad value fails before anything is written. */
export function resolveParams(preset: PresetName, overrides: Partial<WorldParams> = {}): WorldParams {
  const params: WorldParams = { ...PRESETS[preset], ...dropUndefined(overrides) };
  const problems: string[] = [];
  const int = (key: keyof WorldParams, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const v = params[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) problems.push(`${key} must be a whole number in [${min}, ${max}], not ${String(v)}`);
  };
  const num = (key: keyof WorldParams, min: number, max: number) => {
    const v = params[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) problems.push(`${key} must be a number in [${min}, ${max}], not ${String(v)}`);
  };
  // Ids are packed into 21 bits in the generator's hash keys.
  int("users", 100, 2_000_000);
  num("followsPerUser", 1, 1000);
  num("followsAlpha", 1.05, 10);
  num("zipf", 0.3, 3);
  int("superstars", 1, 1000);
  num("postsPerUser", 1, 1000);
  int("superstarPosts", 0, 10_000);
  int("authorPosts", 0, 10_000);
  int("days", 1, 3650);
  num("activeFraction", 0, 1);
  num("repostFraction", 0, 1);
  num("repostsPerReposter", 1, 1000);
  int("liveHosts", 1, 2_000_000);
  num("replaysPerHost", 1, 1000);
  int("seed", 0, 1_000_000);
  if (!Array.isArray(params.authorFollowers) || params.authorFollowers.some((n) => !Number.isInteger(n) || n < 1)) problems.push("authorFollowers must be whole numbers ≥ 1");
  if (params.users < 4 * params.superstars + 50) problems.push(`users (${params.users}) is too few for ${params.superstars} superstars`);
  if (problems.length > 0) throw new Error(`Invalid world parameters: ${problems.join("; ")}`);
  return params;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A human label for a follower target: 1000 → "1k", 1000000 → "1m". */
export function countLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}
