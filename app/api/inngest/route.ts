import { serve } from "inngest/next";
import { inngest } from "@/lib/events/client";
import { functions } from "@/inngest";
import { guardRoute } from "@/inngest/serve-guard";

// Syncs come from Inngest itself (signed, in band); an unsigned PUT is refused like any
// other unsigned request, and the serve origin comes from INNGEST_SERVE_ORIGIN, not Host.
const handlers = serve({ client: inngest, functions, enableUnauthedSync: false });

export const { GET, POST, PUT } = guardRoute(handlers, { client: inngest, functions });
