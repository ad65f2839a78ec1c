// A signed orchestrator and the SDK variables that point an app at it, as the launcher
// sets them: base URL, signing and event keys, and the serve origin it may call.
import { localInngestKeys } from "@/scripts/local/services";
import { startOrchestrator, type Orchestrator, type OrchestratorOptions } from "@/scripts/local/inngest/orchestrator";
import { freePort } from "@/scripts/local/problems";

export interface SignedOrchestrator {
  orchestrator: Orchestrator;
  keys: { signingKey: string; eventKey: string };
  /** Where the app must listen: the only origin the orchestrator calls. */
  appPort: number;
  serveOrigin: string;
  /** The SDK's variables for an app served at `serveOrigin`. */
  env: Record<string, string>;
}

export async function startSignedOrchestrator(opts: Omit<OrchestratorOptions, "signingKey" | "eventKey" | "serveOrigin"> = {}): Promise<SignedOrchestrator> {
  const keys = localInngestKeys();
  const appPort = await freePort();
  const serveOrigin = `http://127.0.0.1:${appPort}`;
  const orchestrator = await startOrchestrator({ port: 0, log: () => {}, ...opts, ...keys, serveOrigin });
  const env = {
    INNGEST_BASE_URL: orchestrator.url,
    INNGEST_SIGNING_KEY: keys.signingKey,
    INNGEST_EVENT_KEY: keys.eventKey,
    INNGEST_SERVE_ORIGIN: serveOrigin,
  };
  return { orchestrator, keys, appPort, serveOrigin, env };
}

/** Points process.env at `env` (dropping INNGEST_DEV); returns a function that restores it. */
export function pointInngestAt(env: Record<string, string>): () => void {
  const names = [...Object.keys(env), "INNGEST_DEV"];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  delete process.env.INNGEST_DEV;
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
