// Builds (or reuses) a benchmark world and prints what is in it.
// Run: node --conditions=react-server --import tsx bench/world.ts --preset small
//        [--database-url URL] [--reuse | --fresh] [--seed N] [--users N] [--active 0.2] [--json]
// Without --database-url or DATABASE_URL the world lives in a persistent embedded Postgres
// (.data/bench/postgres, port 54371), which is stopped again at the end.
import { parseArgs } from "node:util";
import { ensureWorld, isPresetName, PRESET_NAMES, type WorldParams } from "./world/index";

const usage = `usage: bench/world.ts --preset ${PRESET_NAMES.join("|")} [--database-url URL] [--reuse | --fresh]
  [--seed N] [--users N] [--superstars N] [--follows-per-user N] [--posts-per-user N] [--active FRACTION]
  [--concurrency N] [--json]`;

const { values } = parseArgs({
  options: {
    preset: { type: "string", default: "small" },
    "database-url": { type: "string" },
    reuse: { type: "boolean", default: false },
    fresh: { type: "boolean", default: false },
    seed: { type: "string" },
    users: { type: "string" },
    superstars: { type: "string" },
    "follows-per-user": { type: "string" },
    "posts-per-user": { type: "string" },
    active: { type: "string" },
    concurrency: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}
const preset = values.preset;
if (!isPresetName(preset) || (values.reuse && values.fresh)) {
  console.error(usage);
  process.exit(2);
}
const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const params: Partial<WorldParams> = {
  seed: number(values.seed),
  users: number(values.users),
  superstars: number(values.superstars),
  followsPerUser: number(values["follows-per-user"]),
  postsPerUser: number(values["posts-per-user"]),
  activeFraction: number(values.active),
};

const started = performance.now();
let world: Awaited<ReturnType<typeof ensureWorld>> | undefined;
try {
  world = await ensureWorld({
    preset,
    params,
    databaseUrl: values["database-url"],
    mode: values.fresh ? "fresh" : values.reuse ? "reuse" : "auto",
    concurrency: number(values.concurrency),
  });
  const { meta } = world;
  if (values.json) {
    console.log(JSON.stringify({ databaseUrl: redact(world.databaseUrl), reused: world.reused, meta }, null, 2));
  } else {
    const { counts, accounts } = meta;
    const n = (v: number) => v.toLocaleString("en");
    console.log(`${meta.preset} world ${world.reused ? "reused" : "built"} in ${((performance.now() - started) / 1000).toFixed(1)} s (generation took ${(meta.durationMs / 1000).toFixed(1)} s on ${meta.completedAt})`);
    console.log(`  database     ${redact(world.databaseUrl)}`);
    console.log(`  users        ${n(counts.users)} (${n(counts.activeUsers)} active, ${counts.superstars} superstars)`);
    console.log(`  follows      ${n(counts.follows)} (most followed: ${n(counts.maxFollowers)}, most following: ${n(counts.maxFollowing)})`);
    console.log(`  posts        ${n(counts.posts)}`);
    console.log(`  reposts      ${n(counts.reposts)} (by ${n(counts.reposters)} users)`);
    for (const r of Object.values(accounts.readers)) console.log(`  reader       ${r.username.padEnd(18)} id ${r.id.padEnd(8)} follows ${n(r.following)}`);
    const half = accounts.readers.halfReposts;
    console.log(`               ${half.username}: ${half.firstPageReposts} of its first 20 feed items are reposts, ${Math.round(half.repostShare * 100)}% of its first 200`);
    for (const a of accounts.authors) console.log(`  author       ${a.username.padEnd(18)} id ${a.id.padEnd(8)} ${n(a.followers)} followers`);
    const live = counts.live;
    console.log(`  live         ${n(live.hosts)} hosts: ${n(live.live)} live, ${n(live.upcoming)} upcoming, ${n(live.ended)} ended (replays), ${n(live.cancelled)} cancelled`);
    for (const v of Object.values(accounts.viewers)) console.log(`  viewer       ${v.username.padEnd(18)} id ${v.id.padEnd(8)} follows ${n(v.following)} hosts${v.following < v.wanted ? ` (the world has ${n(live.hosts)})` : ""}`);
    const stars = accounts.superstars;
    console.log(`  superstars   ${stars.slice(0, 3).map((s) => `${s.username} (${n(s.followers)})`).join(", ")}${stars.length > 3 ? ` … ${stars.at(-1)!.username} (${n(stars.at(-1)!.followers)})` : ""}`);
    console.log(`  log in as any of them with the password "${accounts.password}" (emails <username>@${accounts.emailDomain})`);
  }
} catch (error) {
  console.error(`world: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await world?.stop();
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
