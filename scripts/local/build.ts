// Production starts build only when a source file is newer than the last build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { LocalServiceError } from "./problems";

const SOURCES = ["app", "components", "lib", "db", "inngest", "public", "proxy.ts", "next.config.ts", "package-lock.json", "tsconfig.json"];

export async function buildIfNeeded(opts: { root: string; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<void> {
  const buildId = path.join(opts.root, opts.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((entry) => newestMtime(path.join(opts.root, entry))));
  if (builtAt >= newest) {
    opts.log("build is up to date");
    return;
  }
  opts.log(builtAt ? "sources changed: building…" : "no build yet: building…");
  const nextBin = path.join(opts.root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: opts.root, env: opts.env, stdio: "inherit" });
  if (result.status !== 0) throw new LocalServiceError("`next build` failed: see its output above.");
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}
