import { serve } from "inngest/next";
import { inngest } from "@/lib/events/client";
import { functions } from "@/inngest";
import { guardExecution } from "@/inngest/serve-guard";

const handlers = serve({ client: inngest, functions });

export const { GET, PUT } = handlers;
export const POST = guardExecution(handlers.POST, { appId: inngest.id, functions });
