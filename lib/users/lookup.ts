import "server-only";
// Finding a user by the handle in a URL. Handles are stored lower-case, so a lookup is
// case-insensitive by normalising the input; a string that cannot be a handle, or the handle
// of a deleted account, is a 404.
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { usernameSchema } from "@/lib/validation";
import { userColumns, type UserRow } from "./dto";

/** The canonical (lower-case) form of a handle, or null when it cannot be one. */
export function canonicalUsername(input: string): string | null {
  const parsed = usernameSchema.safeParse(input);
  return parsed.success ? parsed.data : null;
}

export async function findUserByUsername(username: string): Promise<UserRow | undefined> {
  const canonical = canonicalUsername(username);
  if (!canonical) return undefined;
  const [row] = await getDb().select(userColumns).from(users).where(and(eq(users.username, canonical), isNull(users.deletedAt))).limit(1);
  return row;
}

/** The user or a 404 `not_found`. */
export async function requireUserByUsername(username: string): Promise<UserRow> {
  const row = await findUserByUsername(username);
  if (!row) throw notFound("User");
  return row;
}
