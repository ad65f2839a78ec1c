import { describe, expect, it, vi } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { verifyCredentials } from "@/lib/auth/credentials";
import { makeUser, uniqueName } from "../support/fixtures";

// The real argon2 verifier, watched: whether the unknown-email path pays for it is the point.
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

describe("verifyCredentials", () => {
  it("an unknown email is verified against a dummy argon2 hash, like a wrong password", async () => {
    vi.mocked(verifyPassword).mockClear();
    expect(await verifyCredentials({ email: `${uniqueName()}@example.com`, password: "whatever-1" })).toBeNull();
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    const [hash, password] = vi.mocked(verifyPassword).mock.calls[0]!;
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(password).toBe("whatever-1");
  });

  it("a wrong password is refused after one verification, the right one accepted", async () => {
    const user = await makeUser({ passwordHash: await hashPassword("right-password") });
    vi.mocked(verifyPassword).mockClear();
    expect(await verifyCredentials({ email: user.email, password: "wrong-password" })).toBeNull();
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    expect(await verifyCredentials({ email: user.email.toLowerCase(), password: "right-password" })).toEqual({
      id: user.id,
      email: user.email,
      username: user.username,
      displayName: user.displayName,
    });
  });
});
