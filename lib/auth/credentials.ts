import "server-only";
// Checking an email and password at login. An unknown email costs the same argon2
// verification as a wrong password (against a dummy hash), so the answer's timing does
// not tell whether an account exists.
import crypto from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "./password";

export interface VerifiedUser {
  id: string;
  email: string;
  username: string;
  displayName: string;
}

let dummyHash: Promise<string> | undefined;
/** Hashed once per process with the same parameters as real hashes, so it costs the same to verify. */
function getDummyHash(): Promise<string> {
  if (!dummyHash) {
    dummyHash = hashPassword(crypto.randomBytes(16).toString("hex"));
    dummyHash.catch(() => (dummyHash = undefined));
  }
  return dummyHash;
}
// Made at start-up, so the first unknown email does not pay for the hashing too.
void getDummyHash().catch((error: unknown) => console.error("hashing the dummy password failed", { error }));

/** The account whose email and password these are, or null. `email` is already normalised (lower case). */
export async function verifyCredentials({ email, password }: { email: string; password: string }): Promise<VerifiedUser | null> {
  const [user] = await getDb()
    .select({ id: users.id, username: users.username, email: users.email, displayName: users.displayName, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email), isNull(users.deletedAt)))
    .limit(1);
  if (!user) {
    await verifyPassword(await getDummyHash(), password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return { id: user.id, email: user.email, username: user.username, displayName: user.displayName };
}
