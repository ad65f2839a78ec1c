// `npm test`: every check the project has, in order, stopping at the first failure:
// types, lint, unit + integration tests (real Postgres and Redis), the feed's and Live's tests
// again on a real Redis Cluster, browser tests, the quick
// part of the fault suite, and a smoke run of the benchmark harness.
// Ends with one "N passed, N failed" line counting the tests of both runners.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const out = ".test-summary"; // not test-results/: Playwright empties that at start
const vitestJson = `${out}/vitest.json`;
const vitestClusterJson = `${out}/vitest-cluster.json`;
const playwrightJson = `${out}/playwright.json`;

const steps: Array<{ name: string; command: string[]; env?: Record<string, string> }> = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "lint", command: ["npx", "eslint", "."] },
  {
    name: "unit + integration (vitest)",
    command: ["npx", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
  },
  // The feed and Live suites again on a three-master Redis Cluster the step starts itself
  // (docs/scaling-redis.md): every multi-key script and pipeline must keep to one slot.
  {
    name: "feed and live on a Redis Cluster (npm run test:cluster)",
    command: ["npx", "vitest", "run", "tests/feed", "tests/live", "tests/redis-cluster", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestClusterJson}`],
    env: { TEST_REDIS_CLUSTER: "1" },
  },
  {
    name: "end-to-end (playwright)",
    command: ["npx", "playwright", "test", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
  },
  // The short part of the fault suite (faults/README.md): the app as `npm start` runs it,
  // a workload with a ground truth, Redis flushed and Redis stopped; every feed must equal
  // the truth afterwards and no acknowledged write may be lost.
  { name: "fault suite, quick (npm run faults -- --quick)", command: ["npm", "run", "faults", "--", "--quick", `--out=${out}/faults`] },
  // The benchmark harness end to end on the tiny world with very short loads, so it cannot
  // rot unnoticed. Measures nothing worth reading; the report goes to .test-summary/bench.
  { name: "benchmark smoke (npm run bench --smoke)", command: ["npm", "run", "bench", "--", "--preset", "tiny", "--smoke", "--out", `${out}/bench`] },
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const only = process.argv.slice(2);
let failedStep: string | undefined;
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const [command, ...args] = step.command;
  const result = spawnSync(command!, args, { stdio: "inherit", env: { ...process.env, ...step.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${step.name} failed after ${seconds} s`);
    failedStep = step.name;
    break;
  }
  console.log(`✓ ${step.name} (${seconds} s)`);
}

const counts = { passed: 0, failed: 0, skipped: 0 };
for (const file of [vitestJson, vitestClusterJson]) {
  const vitest = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(file);
  if (!vitest) continue;
  counts.passed += vitest.numPassedTests;
  counts.failed += vitest.numFailedTests;
  counts.skipped += vitest.numPendingTests + vitest.numTodoTests;
}
const playwright = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(playwrightJson);
if (playwright) {
  counts.passed += playwright.stats.expected;
  counts.failed += playwright.stats.unexpected + playwright.stats.flaky;
  counts.skipped += playwright.stats.skipped;
}
// A step that failed before its runner counted anything (tsc, eslint, a crash) still fails.
if (failedStep && counts.failed === 0) counts.failed = 1;
console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failedStep ? 1 : 0);

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}
