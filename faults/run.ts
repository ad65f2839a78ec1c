// `npm run faults` / `npm run soak`: starts the app as the README does (isolated), builds a
// workload with a ground truth, injects each fault in turn (or runs the soak), prints the
// table and writes it to faults/results/. Exits non-zero on a broken request (5xx other
// than 503, or a hang), a lost acknowledged write, or a feed that differs from the truth.
// Options: README.md in this folder.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres, { type Sql } from "postgres";
import { AppUnderTest, type Ports } from "./app";
import { checkRevocationAcrossInstances } from "./cross-instance";
import { SecondInstance } from "./second-instance";
import { DEFAULT_FAULTS, FAULTS, QUICK_FAULTS, type FaultContext } from "./faults";
import { requestsByOrigin, type Client } from "./http";
import { Ledger } from "./ledger";
import { runPhase, type FaultResult } from "./phase";
import { faultDetails, faultTable, soakTable, writeReport } from "./report";
import { resumeRedis, startOwnRedis } from "./redis-control";
import { Rng } from "./rng";
import { soak, type SoakResult } from "./soak";
import { createMembers, seedGraph } from "./workload";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
/** `--name=value` or `--name value`. */
const spacedOption = (name: string) => option(name) ?? (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);

const quick = flag("quick");
const soakOnly = flag("soak-only");
const options = {
  quick,
  faults: soakOnly ? [] : (option("only")?.split(",") ?? (quick ? QUICK_FAULTS : DEFAULT_FAULTS)),
  soak: soakOnly || flag("soak"),
  members: Number(option("members") ?? (quick ? 8 : 16)),
  soakClients: Number(option("soak-clients") ?? 50),
  soakSeconds: Number(option("soak-seconds") ?? 60),
  seed: Number(option("seed") ?? Date.now() % 1_000_000),
  keep: flag("keep"),
  externalRedis: flag("external-redis"),
  basePort: Number(option("base-port") ?? 54460),
  appPort: Number(option("port") ?? 3600),
  // App instances behind the workload: 1, or 2 (a second `next start` on port + 1; second-instance.ts).
  instances: Number(spacedOption("instances") ?? 1),
  out: option("out") ?? path.join("faults", "results"),
};

const root = process.cwd();
// The same build as `npm start` (it rebuilds only when the sources changed); NEXT_DIST_DIR
// chooses another one.
const distDir = process.env.NEXT_DIST_DIR || ".next";
const log = (line: string) => console.log(`[faults] ${line}`);

async function main(): Promise<number> {
  const unknown = options.faults.filter((key) => !FAULTS.some((f) => f.key === key));
  if (unknown.length) throw new Error(`unknown fault(s) ${unknown.join(", ")}; known: ${FAULTS.map((f) => f.key).join(", ")}`);
  if (options.instances !== 1 && options.instances !== 2) throw new Error(`--instances must be 1 or 2, not ${options.instances}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "starling-faults-"));
  const b = options.basePort;
  const ports: Ports = { app: options.appPort, postgres: b, redis: b + 1, inngest: b + 2, bridge: b + 3 };
  const redisUrl = options.externalRedis ? `redis://127.0.0.1:${ports.redis}` : undefined;
  const app = new AppUnderTest({ root, dataDir: path.join(tmp, "data"), distDir, ports, redisUrl, logFile: path.join(tmp, "app.log"), log });
  const own: FaultContext["own"] = {};
  const second =
    options.instances === 2
      ? new SecondInstance({ root, dataDir: path.join(tmp, "data"), distDir, port: ports.app + 1, logFile: path.join(tmp, "app.log"), log })
      : undefined;
  let sql: Sql | undefined;
  const cleanup = once(async () => {
    resumeRedis(ports.redis); // interrupted mid-SIGSTOP, it could not even be stopped
    await sql?.end({ timeout: 5 }).catch(() => {});
    await own.redis?.stop().catch(() => {});
    await second?.stop().catch((e: unknown) => log(`stopping the second instance: ${String(e)}`));
    await app.stop().catch((e: unknown) => log(`stopping the app: ${String(e)}`));
    if (options.keep) log(`kept ${tmp} (app log: ${path.join(tmp, "app.log")})`);
    else rmSync(tmp, { recursive: true, force: true });
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    log(`seed ${options.seed}; data in ${tmp}; app on ${app.url} (a build into ${distDir}, when the sources changed, takes a minute or two)`);
    if (options.externalRedis) own.redis = await startOwnRedis(ports.redis);
    await app.start(900_000);
    await second?.start();
    sql = postgres(app.databaseUrl, { max: 4, onnotice: () => {}, connect_timeout: 5 });
    const rng = new Rng(options.seed);
    // With two instances the workload's requests alternate between them; the checks read through the first.
    const work = { client: { base: app.url, bases: second ? [app.url, second.url] : undefined, timeoutMs: 20_000 } as Client, ledger: new Ledger(), rng };
    const check = { sql, client: { base: app.url, timeoutMs: 20_000 } as Client, settleMs: 120_000, log };
    const sections: string[] = [
      `# Fault suite run ${new Date().toISOString()}`,
      "",
      `seed ${options.seed}${options.quick ? ", quick" : ""}${options.externalRedis ? ", external Redis (REDIS_URL)" : ""}${second ? `, 2 app instances (${app.url}, ${second.url})` : ""}`,
    ];
    let failed = false;

    if (second) {
      const revocation = await checkRevocationAcrossInstances(app.url, second.url, `rv${options.seed % 100_000}`);
      const line = revocation.failures.length
        ? `session revoked on instance 1: FAILED, ${revocation.failures.join("; ")}`
        : `session revoked on instance 1: refused on instance 2 after ${revocation.ms} ms (allowed: SESSION_CHECK_TTL_MS + 1 s)`;
      log(line);
      sections.push("", "## Across instances", "", line);
      failed ||= revocation.failures.length > 0;
    }

    if (options.faults.length) {
      const results = await runFaults(app, ports, work, check, own, second);
      const table = faultTable(results);
      console.log(`\n${table}\n\n${faultDetails(results)}\n`);
      sections.push("", `## Faults (${options.members} members)`, "", table, "", faultDetails(results));
      failed ||= results.some((r) => r.failures.length > 0);
    }
    if (second) {
      const spread = `workload requests by instance: ${[...requestsByOrigin].map(([origin, n]) => `${origin} ${n}`).join(", ")}`;
      log(spread);
      sections.push("", spread);
    }
    if (options.soak) {
      const result: SoakResult = await soak(work, { ...check, orchestratorUrl: app.orchestratorUrl }, { clients: options.soakClients, seconds: options.soakSeconds });
      console.log(`\n${soakTable(result)}\n`);
      sections.push("", "## Soak", "", soakTable(result));
      failed ||= result.failures.length > 0;
    }
    const name = `${new Date().toISOString().slice(0, 19).replace(/[T:]/g, "-")}${options.quick ? "-quick" : ""}${options.externalRedis ? "-external-redis" : ""}${second ? "-2-instances" : ""}${options.faults.length ? "" : "-soak"}`;
    log(`results: ${path.relative(root, writeReport(path.resolve(root, options.out), name, sections.join("\n")))}`);
    log(failed ? "FAILED" : "passed");
    return failed ? 1 : 0;
  } finally {
    await cleanup();
  }
}

async function runFaults(
  app: AppUnderTest,
  ports: Ports,
  work: FaultContext["work"],
  check: Parameters<typeof runPhase>[2],
  own: FaultContext["own"],
  second: SecondInstance | undefined,
): Promise<FaultResult[]> {
  log(`workload: ${options.members} members, a random follow graph, a few posts each`);
  const members = await createMembers(work.client, options.members, `f${options.seed % 100_000}`);
  await seedGraph(work, members, { followsEach: Math.min(5, members.length - 1), postsEach: 3 });
  const ctx = { app, ports, root, work, members, workers: Math.min(6, members.length), quick: options.quick, externalRedis: options.externalRedis, own, second };
  const results: FaultResult[] = [];
  for (const key of options.faults) {
    if (!app.launcherPid) {
      log(`the app is down: ${key} and the faults after it are skipped`);
      break;
    }
    results.push(await runPhase(FAULTS.find((f) => f.key === key)!, ctx, check));
  }
  return results;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[faults] ${(error as Error).stack ?? String(error)}`);
    process.exit(2);
  },
);
