import "server-only";
// Registration: validate, rate limit by IP, hash, insert. Uniqueness is the database's
// job (unique indexes on username and lower(email)); a pre-check only gives a friendlier
// answer naming every taken field, and a concurrent registration still gets its 409 from
// the constraint.
import { eq, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { conflict, type FieldErrors } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/password";
import { enforceRateLimit } from "@/lib/rate-limit";
import { displayNameSchema, emailSchema, parseInput, passwordSchema, usernameSchema } from "@/lib/validation";
import { toUserDto, userColumns, type UserDto } from "./dto";

export const registerSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
  // A form's empty field means "no display name": default to the username.
  displayName: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), displayNameSchema.optional()),
});

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  displayName?: string;
}

const TAKEN = {
  username: "That username is taken.",
  email: "An account with that email address already exists.",
} as const;

export async function registerUser(input: RegisterInput, { ip }: { ip: string }): Promise<UserDto> {
  const { username, email, password, displayName } = parseInput(registerSchema, input);
  await enforceRateLimit("register", ip);

  const taken = await takenFields(username, email);
  if (taken) throw taken;

  const passwordHash = await hashPassword(password);
  try {
    const [row] = await getDb()
      .insert(users)
      .values({ username, email, passwordHash, displayName: displayName ?? username })
      .returning(userColumns);
    return toUserDto(row!);
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === "users_username_key") throw takenError({ username: TAKEN.username });
    if (constraint === "users_email_key") throw takenError({ email: TAKEN.email });
    throw error;
  }
}

async function takenFields(username: string, email: string) {
  const rows = await getDb()
    .select({ username: users.username, email: sql<string>`lower(${users.email})` })
    .from(users)
    .where(or(eq(users.username, username), eq(sql`lower(${users.email})`, email)));
  const fields: FieldErrors = {};
  if (rows.some((r) => r.username === username)) fields.username = TAKEN.username;
  if (rows.some((r) => r.email === email)) fields.email = TAKEN.email;
  return Object.keys(fields).length ? takenError(fields) : undefined;
}

function takenError(fields: FieldErrors) {
  return fields.username
    ? conflict("username_taken", "That username is taken: choose another one.", fields)
    : conflict("email_taken", "An account with that email address already exists.", fields);
}

/** The constraint a unique violation (23505) names, looking through Drizzle's wrapper. */
export function uniqueViolation(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const pg = e as { code?: unknown; constraint_name?: unknown };
    if (pg.code === "23505") return typeof pg.constraint_name === "string" ? pg.constraint_name : "";
  }
  return undefined;
}
