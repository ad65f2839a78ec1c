import "server-only";
// Finding accounts for the admin page: part of a username or display name, any case.
// A substring match is a scan of the users table, acceptable for an admin tool at this
// size; at millions of accounts it wants a pg_trgm index on both columns.
import { and, asc, desc, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { toUserDtos, userColumns, type UserDto } from "@/lib/users/dto";
import { parseInput } from "@/lib/validation";

export const SEARCH_MAX_LENGTH = 50;
export const SEARCH_MAX_RESULTS = 50;

export const userSearchQuerySchema = z.object({
  q: z
    .string({ error: "Type part of a username or display name." })
    .trim()
    // People type handles with their @.
    .transform((v) => v.replace(/^@+/, "").trim())
    .pipe(
      z
        .string()
        .min(1, "Type part of a username or display name.")
        .max(SEARCH_MAX_LENGTH, `Searches can be at most ${SEARCH_MAX_LENGTH} characters.`)
        .refine((v) => !v.includes("\u0000"), "Searches can't contain NUL characters."),
    ),
  limit: z.coerce
    .number({ error: "limit must be a number." })
    .int("limit must be a whole number.")
    .min(1, `limit must be between 1 and ${SEARCH_MAX_RESULTS}.`)
    .max(SEARCH_MAX_RESULTS, `limit must be between 1 and ${SEARCH_MAX_RESULTS}.`)
    .default(20),
});

export interface SearchUsersInput {
  query: string;
  limit?: number;
  viewerId?: string | null;
}

/**
 * Up to `limit` accounts whose username or display name contains `query` (case-insensitive):
 * the exact handle first, then handles starting with it, then the most followed.
 * An empty or overlong query is a 400 whose `fields.q` says why.
 */
export async function searchUsers({ query, limit, viewerId }: SearchUsersInput): Promise<UserDto[]> {
  const input = parseInput(userSearchQuerySchema, { q: query, limit });
  const text = input.q.toLowerCase();
  const contains = `%${escapeLike(text)}%`;
  const startsWith = `${escapeLike(text)}%`;
  const rows = await getDb()
    .select(userColumns)
    .from(users)
    .where(and(isNull(users.deletedAt), or(sql`${users.username} ilike ${contains}`, sql`${users.displayName} ilike ${contains}`)))
    .orderBy(
      sql`${users.username} = ${text} desc`,
      sql`${users.username} ilike ${startsWith} desc`,
      desc(users.followersCount),
      asc(users.id),
    )
    .limit(input.limit);
  return toUserDtos(rows, viewerId);
}

/** `%`, `_` and `\` match themselves: a search for "a_b" is not a pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
