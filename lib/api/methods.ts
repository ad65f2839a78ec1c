// Answers for the HTTP methods an /api/v1 route does not implement. Next.js answers those
// with an empty 405 and no Allow header; the API promises its JSON error shape, so each
// route file exports these beside its own handlers. No proxy runs for this: the feed
// routes stay as cheap as they were.
import { AppError, errorBody, notFound } from "@/lib/errors";

/** The methods a route file implements itself (HEAD follows GET, OPTIONS is answered here). */
export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type ExportedMethod = RouteMethod | "HEAD" | "OPTIONS";
type Handler = (req: Request) => Response;

const ROUTE_METHODS: readonly RouteMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** RFC 9110 `Allow`: what the route implements, plus HEAD with GET, plus OPTIONS. */
export function allowHeader(implemented: readonly RouteMethod[]): string {
  const allowed = new Set<string>([...implemented, "OPTIONS"]);
  if (allowed.has("GET")) allowed.add("HEAD");
  return [...allowed].sort().join(", ");
}

/** 405 in the API's error shape, with the methods that would have worked. */
export function methodNotAllowed(method: string, allow: string): Response {
  const error = new AppError("method_not_allowed", 405, `${method} is not supported here. Use ${allow}.`);
  return Response.json(errorBody(error), { status: 405, headers: { Allow: allow } });
}

type Missing<M extends RouteMethod> = Exclude<RouteMethod, M> | ("GET" extends M ? never : "HEAD") | "OPTIONS";

/**
 * Handlers for every method `implemented` leaves out: a JSON 405, and OPTIONS as a 204
 * whose Allow lists only the real methods (Next's own OPTIONS would count these too).
 * Use: `export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");`
 */
export function otherMethods<const M extends RouteMethod>(...implemented: M[]): Record<Missing<M>, Handler> {
  const allow = allowHeader(implemented);
  const refuse: Handler = (req) => methodNotAllowed(req.method, allow);
  const handlers: Partial<Record<ExportedMethod, Handler>> = {
    OPTIONS: () => new Response(null, { status: 204, headers: { Allow: allow } }),
  };
  for (const method of ROUTE_METHODS) if (!(implemented as readonly RouteMethod[]).includes(method)) handlers[method] = refuse;
  if (!(implemented as readonly RouteMethod[]).includes("GET")) handlers.HEAD = refuse;
  return handlers as Record<Missing<M>, Handler>;
}

/** Every method of a path no /api/v1 route claims: the API's JSON 404. */
export function unknownEndpoint(): Response {
  return Response.json(errorBody(notFound("That API endpoint")), { status: 404 });
}
