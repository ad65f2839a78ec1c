import "server-only";
// The one wrapper every /api/v1 handler goes through: authenticate, check the origin of
// writes (CSRF), read and validate the body and query, run the handler, and map errors
// to the API error shape. Unexpected errors are logged with context and answered with a
// generic 500 — never a stack trace.
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { AppError, asUnavailable, errorBody, forbidden, isAppError, unauthenticated, badRequest, UnavailableError } from "@/lib/errors";
import { RateLimitError } from "@/lib/rate-limit";
import { requestHost } from "@/lib/client-ip";
import { parseInput } from "@/lib/validation";

export const MAX_BODY_BYTES = 16 * 1024;

type AuthMode = "none" | "optional" | "required" | "admin";
type UserFor<A extends AuthMode> = A extends "required" | "admin" ? CurrentUser : CurrentUser | null;

type ParamsSchema = z.ZodType<Record<string, string>>;

interface RouteOptions<A extends AuthMode, B, Q, S> {
  auth: A;
  body?: B;
  query?: Q;
  /** The dynamic route segments, e.g. `z.object({ id: z.string() })`. */
  params?: S;
}

export interface RouteContext<A extends AuthMode, B, Q, P> {
  req: NextRequest;
  user: UserFor<A>;
  body: B extends z.ZodType ? z.output<B> : undefined;
  query: Q extends z.ZodType ? z.output<Q> : undefined;
  params: P;
}

export function apiRoute<
  A extends AuthMode,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  S extends ParamsSchema | undefined = undefined,
>(
  options: RouteOptions<A, B, Q, S>,
  handler: (ctx: RouteContext<A, B, Q, S extends ParamsSchema ? z.output<S> : Record<string, never>>) => Promise<unknown>,
) {
  return async (req: NextRequest, { params }: { params: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      if (!["GET", "HEAD"].includes(req.method)) checkSameOrigin(req);
      let user: CurrentUser | null = null;
      if (options.auth !== "none") {
        user = await getCurrentUser();
        if (!user && (options.auth === "required" || options.auth === "admin")) throw unauthenticated();
        if (options.auth === "admin" && !user?.isAdmin) throw forbidden("Only admins can do that.");
      }
      const body = options.body ? parseInput(options.body, await readJson(req)) : undefined;
      const query = options.query ? parseInput(options.query, Object.fromEntries(req.nextUrl.searchParams)) : undefined;
      const routeParams = options.params ? parseInput(options.params, await params) : {};
      const result = await handler({ req, user, body, query, params: routeParams } as Parameters<typeof handler>[0]);
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error, req);
    }
  };
}

/** 201 with a JSON body. */
export function created(data: unknown): Response {
  return Response.json(data, { status: 201 });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function errorResponse(error: unknown, req: Pick<NextRequest, "method" | "nextUrl">): Response {
  if (isAppError(error)) {
    const headers: HeadersInit =
      error instanceof RateLimitError || error instanceof UnavailableError ? { "Retry-After": String(error.retryAfterSeconds) } : {};
    return Response.json(errorBody(error), { status: error.status, headers });
  }
  // Postgres restarting, Redis out of reach: a 503 the client may retry, not a 500.
  const outage = asUnavailable(error);
  if (outage) {
    console.warn("a backing service is unavailable", { method: req.method, path: req.nextUrl.pathname, error: error instanceof Error ? error.message : String(error) });
    return errorResponse(outage, req);
  }
  console.error("unexpected error in API route", { method: req.method, path: req.nextUrl.pathname, error });
  return Response.json({ error: { code: "internal", message: "Something went wrong on our side. Please try again." } }, { status: 500 });
}

/**
 * Browsers always send Origin on cross-site writes: a mismatch is a forged request. JSON
 * bodies additionally need a CORS preflight cross-site, and the session cookie is SameSite=Lax.
 */
function checkSameOrigin(req: NextRequest): void {
  const origin = req.headers.get("origin");
  if (!origin) return; // not a browser (curl, mobile clients): nothing to forge
  // X-Forwarded-Host only from trusted proxies: Next.js passes a client-sent one through.
  const host = requestHost(req.headers);
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden("Cross-site requests are not allowed.");
  }
  if (originHost !== host) throw forbidden("Cross-site requests are not allowed.");
}

async function readJson(req: NextRequest): Promise<unknown> {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const type = req.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw badRequest("unsupported_content_type", "Send the body as JSON (Content-Type: application/json).");
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  if (text.trim() === "") throw badRequest("invalid_json", "The request body is empty: send a JSON object.");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("invalid_json", "The request body is not valid JSON.");
  }
}

const tooLarge = () => new AppError("body_too_large", 413, `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
