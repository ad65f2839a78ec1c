// Screens requests before they reach the Inngest SDK. In signed mode (every mode but the
// SDK's dev mode) a request without a valid Inngest signature is refused with 401 before
// anything else is looked at, so nothing unsigned ever reaches a function or learns more
// than "unauthorized". Signed but malformed execution requests (real Inngest servers never
// send them) get clear 4xx answers instead of the SDK's 500 and stack trace.
import type { InngestFunction } from "inngest";
import { NextRequest } from "next/server";
import { SIGNATURE_HEADER, verifySignature } from "./signature";

type RouteHandler = (req: NextRequest, ctx: unknown) => Promise<Response>;

/** What the guard needs from the Inngest client: its mode and keys, read as the SDK reads them. */
export interface SigningClient {
  readonly id: string;
  readonly mode: "cloud" | "dev";
  readonly signingKey: string | undefined;
  readonly signingKeyFallback: string | undefined;
  setEnvVars(): unknown;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function guardRoute(
  handlers: { GET: RouteHandler; POST: RouteHandler; PUT: RouteHandler },
  opts: { client: SigningClient; functions: ReadonlyArray<InngestFunction.Any> },
): { GET: RouteHandler; POST: RouteHandler; PUT: RouteHandler } {
  const { client } = opts;
  const known = new Set<string>();
  for (const fn of opts.functions) {
    known.add(fn.id(client.id));
    known.add(`${fn.id(client.id)}-failure`);
  }

  /** The body as text and parsed, or the answer that refuses the request. */
  async function screen(req: NextRequest): Promise<{ text: string; body: unknown } | Response> {
    const length = Number(req.headers.get("content-length") ?? 0);
    if (length > MAX_BODY_BYTES) return problem(413, "body_too_large", "The request body is too large.");
    const text = await req.text();
    if (text.length > MAX_BODY_BYTES) return problem(413, "body_too_large", "The request body is too large.");
    let body: unknown = "";
    let parsed = text === "";
    if (!parsed) {
      try {
        body = JSON.parse(text);
        parsed = true;
      } catch {
        // Answered below: 401 when signing applies (such a body cannot carry a valid signature), else 400.
      }
    }
    // The SDK re-reads its variables on every request; so does this check.
    client.setEnvVars();
    if (client.mode === "cloud") {
      const signed = parsed && verifySignature(req.headers.get(SIGNATURE_HEADER), body, [client.signingKey, client.signingKeyFallback]);
      if (!signed) return problem(401, "unauthorized", "The request is not signed by Inngest.");
    }
    if (!parsed) return problem(400, "invalid_json", "The request body is not valid JSON.");
    return { text, body };
  }

  /** The body was consumed: hand the SDK an identical request. */
  const replay = (req: NextRequest, text: string) => new NextRequest(req.url, { method: req.method, headers: req.headers, body: text === "" ? undefined : text });

  return {
    // Introspection: signed in cloud mode too (the SDK would refuse it anyway, with a logged stack trace).
    GET: async (req, ctx) => {
      const screened = await screen(req);
      if (screened instanceof Response) return screened;
      return handlers.GET(req, ctx);
    },
    PUT: async (req, ctx) => {
      const screened = await screen(req);
      if (screened instanceof Response) return screened;
      return handlers.PUT(replay(req, screened.text), ctx);
    },
    POST: async (req, ctx) => {
      const screened = await screen(req);
      if (screened instanceof Response) return screened;
      const url = new URL(req.url);
      // Probes (e.g. ?probe=trust) carry no function id and no body worth checking.
      if (!url.searchParams.has("probe")) {
        const fnId = url.searchParams.get("fnId");
        if (!fnId) return problem(400, "missing_fn_id", "The fnId query parameter is required.");
        if (!known.has(fnId)) return problem(404, "unknown_function", `No function "${fnId}" is served here.`);
        if (!isExecutionBody(screened.body)) {
          return problem(400, "invalid_body", "The request body is not an Inngest execution request.");
        }
      }
      return handlers.POST(replay(req, screened.text), ctx);
    },
  };
}

function isExecutionBody(body: unknown): boolean {
  if (!isObject(body)) return false;
  const { event, steps, ctx } = body;
  return isObject(event) && (steps === undefined || isObject(steps)) && (ctx === undefined || isObject(ctx));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function problem(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}
