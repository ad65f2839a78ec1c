import "server-only";
import { Inngest } from "inngest";

// The SDK reads its own variables (INNGEST_DEV, INNGEST_BASE_URL, INNGEST_EVENT_KEY,
// INNGEST_SIGNING_KEY, ...): the same code talks to Inngest Cloud, a self-hosted Inngest
// server or the local orchestrator started by scripts/start.ts.
export const inngest = new Inngest({ id: "starling" });
