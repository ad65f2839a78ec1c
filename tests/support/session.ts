// The one thing integration tests fake: who is logged in. A file that uses logInAs()
// mocks the session module itself (vi.mock is hoisted per file):
//   vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));
import { vi } from "vitest";
import type { User } from "@/db/schema";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { makeUser } from "./fixtures";

/** Makes the mocked getCurrentUser() return this user (or nobody). */
export function logInAs(user: Pick<User, "id" | "username" | "email"> | null, isAdmin = false): CurrentUser | null {
  const session = user ? { id: user.id, username: user.username, email: user.email, isAdmin } : null;
  vi.mocked(getCurrentUser).mockResolvedValue(session);
  return session;
}

/** A new user, logged in. */
export async function logInAsNewUser(isAdmin = false): Promise<User> {
  const user = await makeUser();
  logInAs(user, isAdmin);
  return user;
}
