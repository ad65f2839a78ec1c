// Rejects malformed execution requests before they reach the Inngest SDK, which answers
// them with a 500 and a stack trace. Real Inngest servers never send such requests, so
// this only turns garbage from elsewhere into clear 4xx answers.
import type { InngestFunction } from "inngest";
import { NextRequest } from "next/server";

type RouteHandler = (req: NextRequest, ctx: unknown) => Promise<Response>;

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function guardExecution(post: RouteHandler, opts: { appId: string; functions: ReadonlyArray<InngestFunction.Any> }): RouteHandler {
  const known = new Set<string>();
  for (const fn of opts.functions) {
    known.add(fn.id(opts.appId));
    known.add(`${fn.id(opts.appId)}-failure`);
  }

  return async (req, ctx) => {
    const url = new URL(req.url);
    // Probes (e.g. ?probe=trust) carry no function id and no body worth checking.
    if (url.searchParams.has("probe")) return post(req, ctx);

    const fnId = url.searchParams.get("fnId");
    if (!fnId) return problem(400, "missing_fn_id", "The fnId query parameter is required.");
    if (!known.has(fnId)) return problem(404, "unknown_function", `No function "${fnId}" is served here.`);

    const length = Number(req.headers.get("content-length") ?? 0);
    if (length > MAX_BODY_BYTES) return problem(413, "body_too_large", "The request body is too large.");
    const text = await req.text();
    if (text.length > MAX_BODY_BYTES) return problem(413, "body_too_large", "The request body is too large.");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return problem(400, "invalid_json", "The request body is not valid JSON.");
    }
    if (!isExecutionBody(body)) {
      return problem(400, "invalid_body", "The request body is not an Inngest execution request.");
    }
    // The body was consumed: hand the SDK an identical request.
    return post(new NextRequest(req.url, { method: req.method, headers: req.headers, body: text }), ctx);
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
