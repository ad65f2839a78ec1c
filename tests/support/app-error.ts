// The AppError a call fails with; the test fails if the call succeeds or fails otherwise.
import { expect } from "vitest";
import { AppError } from "@/lib/errors";

export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  return outcome as AppError;
}
