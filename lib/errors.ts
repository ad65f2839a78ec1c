// One error type for everything a user or client can get wrong: a machine code, an HTTP
// status, a human message and, for validation, per-field problems. Route handlers and
// server actions map it to the API error shape / a message in the page.
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const invalid = (fields: FieldErrors, message = "Some fields are invalid.") =>
  new AppError("invalid_input", 400, message, fields);
export const badRequest = (code: string, message: string) => new AppError(code, 400, message);
export const unauthenticated = () => new AppError("unauthenticated", 401, "You need to log in.");
export const forbidden = (message = "You are not allowed to do that.") => new AppError("forbidden", 403, message);
export const notFound = (what: string) => new AppError("not_found", 404, `${what} was not found.`);
export const conflict = (code: string, message: string, fields?: FieldErrors) => new AppError(code, 409, message, fields);
export const refused = (code: string, message: string) => new AppError(code, 422, message);

/** 503: a backing service is briefly out of reach (a Postgres restart, a Redis outage); retry after `retryAfterSeconds`. */
export class UnavailableError extends AppError {
  constructor(
    message = "The service is briefly unavailable. Please try again in a few seconds.",
    readonly retryAfterSeconds = 5,
  ) {
    super("unavailable", 503, message);
  }
}
export const unavailable = (message?: string, retryAfterSeconds?: number) => new UnavailableError(message, retryAfterSeconds);

/**
 * Connection-level failures of Postgres (postgres.js and node:net codes, SQLSTATE classes
 * 08 connection exception and 57 operator intervention: admin shutdown, cannot connect
 * now, statement timeout) and of Redis: the request did nothing wrong, and the same
 * request a few seconds later will likely succeed.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "57014", // query_canceled: statement_timeout
  "53300", // too_many_connections
  "redis_unavailable",
]);

/** The 503 an unexpected error stands for when a backing service is out of reach, else undefined. */
export function asUnavailable(error: unknown): UnavailableError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? "");
    if (code === "redis_unavailable") return new UnavailableError("Redis (the feed cache) is unavailable right now. Please try again in a few seconds.");
    if (UNAVAILABLE_CODES.has(code) || code.startsWith("08")) return new UnavailableError();
    if (e instanceof AggregateError && e.errors.some((inner) => asUnavailable(inner))) return new UnavailableError();
  }
  return undefined;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The API's error body. */
export function errorBody(error: AppError) {
  return { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
}
