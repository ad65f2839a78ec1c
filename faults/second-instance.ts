// `--instances 2`: a second Next.js process (`next start` on its own port, the same build)
// against the first one's Postgres, Redis bridge and Inngest orchestrator, as a second app
// server behind a load balancer would be. It takes the first instance's environment as
// the launcher gave it (service URLs, the bridge token, the Inngest keys, AUTH_SECRET, so
// a cookie from one instance works on the other), read from /proc/<pid>/environ of the
// Next.js process the launcher recorded in run.json: the launcher makes fresh tokens on
// every start, so across a launcher restart the second instance is stopped and started
// again with the new ones. The orchestrator calls the first instance's /api/inngest only
// (one serve origin); both publish events and both run the outbox relay.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { stopProcess } from "@/scripts/local/problems";

export class SecondInstance {
  readonly url: string;
  private child: ChildProcess | undefined;

  constructor(
    private readonly opts: { root: string; dataDir: string; distDir: string; port: number; logFile: string; log: (line: string) => void },
  ) {
    this.url = `http://127.0.0.1:${opts.port}`;
  }

  /** Starts `next start` with the first instance's environment and waits for /api/health. */
  async start(timeoutMs = 120_000): Promise<void> {
    const env = { ...this.firstInstanceEnv(), PORT: String(this.opts.port), NEXT_DIST_DIR: this.opts.distDir };
    const next = path.join(this.opts.root, "node_modules", "next", "dist", "bin", "next");
    const child = spawn(process.execPath, [next, "start", "--port", String(this.opts.port), "--hostname", "127.0.0.1"], {
      cwd: this.opts.root,
      env,
      detached: true, // its own process group: stopped by the suite, not by a Ctrl-C racing it
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const keep = (chunk: Buffer) => appendFileSync(this.opts.logFile, chunk.toString().replace(/^(?=.)/gm, "[instance 2] "));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the second instance exited (${child.exitCode}) before it answered`);
      try {
        const res = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(2_000) });
        await res.body?.cancel();
        this.opts.log(`second instance: next start on ${this.url} (pid ${child.pid})`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`the second instance did not answer at ${this.url} within ${timeoutMs / 1000} s`);
  }

  async stop(): Promise<void> {
    const pid = this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
    this.child = undefined;
    if (!pid) return;
    await stopProcess(pid, "SIGTERM", 10_000);
    try {
      process.kill(-pid, "SIGKILL"); // anything it forked, in the group it leads
    } catch {
      // the group is gone already
    }
  }

  private firstInstanceEnv(): NodeJS.ProcessEnv {
    const { children } = JSON.parse(readFileSync(path.join(this.opts.dataDir, "run.json"), "utf8")) as { children: { app?: number } };
    if (!children.app) throw new Error("run.json names no Next.js process to take the environment from");
    const raw = readFileSync(`/proc/${children.app}/environ`, "utf8");
    return Object.fromEntries(
      raw
        .split("\0")
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
    ) as NodeJS.ProcessEnv;
  }
}
