// Input rules shared by pages, server actions and the API, with messages a person reads.
import { z } from "zod";
import { invalid, type FieldErrors } from "./errors";

export const POST_MAX_LENGTH = 280;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
/** Characters as a person counts them: an emoji (even a ZWJ family) or a CJK character is one. */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

export const usernameSchema = z
  .string({ error: "Choose a username." })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{3,30}$/, "Usernames are 3–30 letters, digits or underscores.");

export const emailSchema = z.string({ error: "Enter your email address." }).trim().toLowerCase().pipe(z.email("Enter a valid email address.")).pipe(z.string().max(254, "That email address is too long."));

export const passwordSchema = z
  .string({ error: "Choose a password." })
  .min(8, "Passwords need at least 8 characters.")
  .max(200, "Passwords can be at most 200 characters.");

const INT8_MAX = 9223372036854775807n;
/** A decimal id that fits Postgres' int8 (larger ones would reach the database and fail). */
export function isInt8Id(value: string): boolean {
  return /^\d{1,19}$/.test(value) && BigInt(value) <= INT8_MAX;
}

// Postgres text cannot hold NUL; the database's own limit on posts is 2000 code points.
const noNul = (v: string) => !v.includes("\u0000");
const NUL_MESSAGE = "Text can't contain NUL characters.";

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Display names can't be empty.")
  .refine(noNul, NUL_MESSAGE)
  .refine((v) => countCharacters(v) <= 50, "Display names can be at most 50 characters.");

export const bioSchema = z
  .string()
  .trim()
  .refine(noNul, NUL_MESSAGE)
  .refine((v) => countCharacters(v) <= 160, "Bios can be at most 160 characters.");

export const postContentSchema = z
  .string({ error: "Write something first." })
  .trim()
  .min(1, "Write something first.")
  .refine(noNul, "Posts can't contain NUL characters.")
  .refine((v) => countCharacters(v) <= POST_MAX_LENGTH, `Posts can be at most ${POST_MAX_LENGTH} characters.`)
  // 280 characters of stacked combining marks can exceed the table's 2000 code points.
  .refine((v) => [...v].length <= 2000, "This post is too long.");

export const idSchema = z.string().refine(isInt8Id, "Not a valid id.");

export const limitSchema = z.coerce
  .number({ error: "limit must be a number." })
  .int("limit must be a whole number.")
  .min(1, "limit must be between 1 and 100.")
  .max(100, "limit must be between 1 and 100.")
  .default(20);

/** Parses or throws an AppError whose `fields` name each problem. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(fieldErrors(result.error));
}

export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    fields[key] ??= issue.message;
  }
  return fields;
}
