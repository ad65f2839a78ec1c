// Remembers the processes one launcher started (in <dataDir>/run.json), so that after the
// launcher is killed with SIGKILL the next start can stop what it left behind.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LocalServiceError, isProcessAlive, stopProcess } from "./problems";

interface RunRecord {
  launcher: number;
  children: Record<string, number>;
}

// What each recorded child's command line must contain before we signal it: a pid may
// have been reused by an unrelated process since.
const signatures: Record<string, string> = { app: "next", redis: "redis-server" };

const runFile = (dataDir: string) => path.join(dataDir, "run.json");

export function recordRun(dataDir: string, children: Record<string, number | undefined>): void {
  const record: RunRecord = { launcher: process.pid, children: {} };
  for (const [name, pid] of Object.entries(children)) if (pid) record.children[name] = pid;
  writeFileSync(runFile(dataDir), JSON.stringify(record));
}

/** A child was replaced (the private Redis restarted by its supervisor): record its new pid. */
export function updateRecordedChild(dataDir: string, name: string, pid: number): void {
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(runFile(dataDir), "utf8")) as RunRecord;
  } catch {
    return; // not recorded yet: the launcher records the current pid when it does
  }
  if (record.launcher !== process.pid) return;
  record.children[name] = pid;
  writeFileSync(runFile(dataDir), JSON.stringify(record));
}

export function clearRun(dataDir: string): void {
  rmSync(runFile(dataDir), { force: true });
}

export async function reapLeftovers(dataDir: string, log: (line: string) => void): Promise<void> {
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(runFile(dataDir), "utf8")) as RunRecord;
  } catch {
    return;
  }
  if (record.launcher !== process.pid && isProcessAlive(record.launcher) && commandLine(record.launcher).includes("start.ts")) {
    throw new LocalServiceError(
      `Starling is already running with data directory ${dataDir} (launcher pid ${record.launcher}): stop it first, or set STARLING_DATA_DIR.`,
    );
  }
  for (const [name, pid] of Object.entries(record.children ?? {})) {
    const signature = signatures[name];
    if (signature && isProcessAlive(pid) && commandLine(pid).includes(signature)) {
      log(`stopping ${name} (pid ${pid}) left running by an earlier run`);
      await stopProcess(pid);
    }
  }
  clearRun(dataDir);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}
