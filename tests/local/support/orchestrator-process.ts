// Runs one orchestrator in a process of its own, so a test can kill -9 it the way a
// launcher dies. Configured by environment; prints "ready <url>" once it listens.
import { startOrchestrator } from "@/scripts/local/inngest/orchestrator";

const env = process.env;
const orchestrator = await startOrchestrator({
  port: Number(env.ORCHESTRATOR_PORT),
  journalDir: env.ORCHESTRATOR_JOURNAL_DIR,
  signingKey: env.ORCHESTRATOR_SIGNING_KEY,
  eventKey: env.ORCHESTRATOR_EVENT_KEY,
  serveOrigin: env.ORCHESTRATOR_SERVE_ORIGIN,
  retryBaseMs: 10,
  retryMaxMs: 100,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`ready ${orchestrator.url}\n`);
