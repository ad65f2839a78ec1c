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

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The API's error body. */
export function errorBody(error: AppError) {
  return { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
}
