// `npm test`: every check the project has, in order, failing on the first failure:
// types, lint, unit + integration tests (real Postgres and Redis), browser tests.
import { spawnSync } from "node:child_process";

const steps: Array<[string, string[]]> = [
  ["typecheck", ["npx", "tsc", "--noEmit"]],
  ["lint", ["npx", "eslint", "."]],
  ["unit + integration (vitest)", ["npx", "vitest", "run"]],
  ["end-to-end (playwright)", ["npx", "playwright", "test"]],
];

const only = process.argv.slice(2);
for (const [name, [command, ...args]] of steps) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(command!, args, { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${seconds} s)`);
}
