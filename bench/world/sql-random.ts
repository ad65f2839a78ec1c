// Deterministic pseudo-random numbers computed inside Postgres, so a world is generated
// server-side (INSERT … SELECT over generate_series) and is the same on every run with
// the same seed. hashint8extended is Postgres' own 64-bit hash of an int8 with a seed:
// fast, well mixed even for consecutive keys, and stable for a given server version.

/** Streams of random numbers: every use has its own salt, so draws never correlate. */
export const SALT = {
  following: 1,
  followee: 2,
  followTime: 3,
  posts: 4,
  postTime: 5,
  postTemplate: 6,
  postTopic: 7,
  active: 8,
  seen: 9,
  inactiveNull: 10,
  created: 11,
  firstName: 12,
  lastName: 13,
  reposter: 14,
  reposts: 15,
  repostAuthor: 16,
  repostPick: 17,
  repostDelay: 18,
  repostsReader: 19,
  liveReplays: 20,
  liveTime: 21,
  liveStart: 22,
  liveLength: 23,
  liveCreated: 24,
  liveCancelled: 25,
  liveNow: 26,
  liveUpcoming: 27,
  liveTitle: 28,
  liveTopic: 29,
  postTagged: 30,
  postTag: 31,
} as const;

export class SqlRandom {
  constructor(private readonly seed: number) {}

  /** A float8 expression uniform in [0, 1), a function of the int8 expression `key`. */
  uniform(key: string, salt: number): string {
    return `((hashint8extended((${key})::int8, ${this.seed * 100 + salt}) & 4503599627370495)::float8 / 4503599627370496.0)`;
  }

  /** A pick from a text array literal. */
  pick(key: string, salt: number, items: readonly string[]): string {
    return `(${textArray(items)})[1 + floor(${this.uniform(key, salt)} * ${items.length})::int]`;
  }
}

/**
 * A Pareto(xm, alpha) integer: floor(xm / U^(1/alpha)), capped. Heavy-tailed: most draws
 * are near xm, a few are huge (and meet the cap).
 */
export function paretoInt(u: string, xm: number, alpha: number, cap: number): string {
  return `least(${cap}, floor(${num(xm)} * power(1.0 - ${u}, ${num(-1 / alpha)})))::int`;
}

/** The xm that gives floor(min(Pareto(xm, alpha), cap)) the wanted mean (≥ 1). */
export function paretoScale(mean: number, alpha: number, cap: number): number {
  // E[min(X, c)] = alpha xm / (alpha - 1) - xm^alpha c^(1 - alpha) / (alpha - 1); floor takes ~0.5 off.
  const expected = (xm: number) => (alpha * xm) / (alpha - 1) - (xm ** alpha * cap ** (1 - alpha)) / (alpha - 1) - 0.5;
  let lo = 1;
  let hi = cap;
  if (expected(lo) >= mean) return lo;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (expected(mid) < mean) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * A popularity rank in 1..n with P(r) ∝ r^-s (continuous Zipf, inverse CDF): rank 1 is
 * drawn most, and the number of followers falls off as a power of the rank.
 */
export function zipfRank(u: string, n: number, s: number): string {
  const expr =
    Math.abs(s - 1) < 1e-9
      ? `power(${n + 1}.0, ${u})`
      : `power(${num((n + 1) ** (1 - s) - 1)} * ${u} + 1.0, ${num(1 / (1 - s))})`;
  return `least(${n}, greatest(1, floor(${expr})))::int8`;
}

/** A finite number as a SQL literal. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return Number.isInteger(value) ? String(value) : value.toPrecision(17);
}

export function textLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function textArray(items: readonly string[]): string {
  return `array[${items.map(textLiteral).join(",")}]::text[]`;
}

export function int8Array(ids: readonly number[]): string {
  return `'{${ids.join(",")}}'::int8[]`;
}
