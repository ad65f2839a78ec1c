// Registration: lib/users/register.ts and POST /api/v1/accounts, against the real
// Postgres and Redis of this run. Only the session lookup is mocked.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { POST } from "@/app/api/v1/accounts/route";
import { verifyPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { resetEnvCache } from "@/lib/env";
import { enforceRateLimit } from "@/lib/rate-limit";
import { registerUser } from "@/lib/users/register";
import { apiRequest, readJson, routeParams, uniqueIp, uniqueName } from "../support/fixtures";
import { logInAs } from "../support/session";

// The session is the one thing mocked (next-auth itself does not load under Vitest).
vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

beforeEach(() => {
  logInAs(null);
});

// As behind one trusted proxy: the client is the entry it appended, not what the client wrote to its left.
beforeAll(() => {
  process.env.TRUSTED_PROXY_HOPS = "1";
  resetEnvCache();
});
afterAll(() => {
  delete process.env.TRUSTED_PROXY_HOPS;
  resetEnvCache();
});

const register = (json: unknown, ip = uniqueIp()) =>
  POST(apiRequest("POST", "/api/v1/accounts", { json, headers: { "x-forwarded-for": `203.0.113.9, ${ip}` } }), routeParams({}));

const newAccount = (overrides: Record<string, unknown> = {}) => {
  const username = uniqueName("reg");
  return { username, email: `${username}@Example.com`, password: "correct horse battery", ...overrides };
};

/** Spends all but `leave` of this IP's registrations (10 an hour, times RATE_LIMIT_MULTIPLIER). */
async function useUpRegistrations(ip: string, leave: number) {
  const limit = 10 * Math.max(1, Number(process.env.RATE_LIMIT_MULTIPLIER ?? 1) || 1);
  for (let i = 0; i < limit - leave; i++) await enforceRateLimit("register", ip);
}

async function expectAppError(promise: Promise<unknown>, status: number, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(status);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("registerUser", () => {
  it("creates the account with a verifiable argon2id hash, a lower-case email and the username as display name", async () => {
    const input = newAccount();
    const user = await registerUser(input, { ip: uniqueIp() });
    expect(user).toEqual({
      id: expect.stringMatching(/^\d+$/),
      username: input.username,
      displayName: input.username,
      bio: "",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      followersCount: 0,
      followingCount: 0,
      postsCount: 0,
      isSuperstar: false,
      avatarUrl: null,
    });
    expect(user).not.toHaveProperty("followedByMe");
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row!.email).toBe(input.email.toLowerCase());
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row!.passwordHash, input.password)).toBe(true);
    expect(await verifyPassword(row!.passwordHash, "wrong password")).toBe(false);
  });

  it("keeps a given display name and lower-cases the username", async () => {
    const name = uniqueName("Reg");
    const user = await registerUser(newAccount({ username: name.toUpperCase(), displayName: "  Ada Lovelace " }), { ip: uniqueIp() });
    expect(user.username).toBe(name.toLowerCase());
    expect(user.displayName).toBe("Ada Lovelace");
  });

  it("refuses invalid input with a message per field", async () => {
    const error = await expectAppError(registerUser({ username: "a!", email: "not-an-email", password: "short" }, { ip: uniqueIp() }), 400, "invalid_input");
    expect(Object.keys(error.fields!).sort()).toEqual(["email", "password", "username"]);
  });

  it("answers 409 username_taken whatever the case of the name", async () => {
    const first = newAccount();
    await registerUser(first, { ip: uniqueIp() });
    const error = await expectAppError(registerUser(newAccount({ username: first.username.toUpperCase() }), { ip: uniqueIp() }), 409, "username_taken");
    expect(error.fields).toEqual({ username: expect.any(String) });
  });

  it("answers 409 email_taken whatever the case of the email", async () => {
    const first = newAccount();
    await registerUser(first, { ip: uniqueIp() });
    const error = await expectAppError(registerUser(newAccount({ email: first.email.toUpperCase() }), { ip: uniqueIp() }), 409, "email_taken");
    expect(error.fields).toEqual({ email: expect.any(String) });
  });

  it("names both fields when both are taken", async () => {
    const first = newAccount();
    await registerUser(first, { ip: uniqueIp() });
    const error = await expectAppError(registerUser(newAccount({ username: first.username, email: first.email }), { ip: uniqueIp() }), 409, "username_taken");
    expect(Object.keys(error.fields!).sort()).toEqual(["email", "username"]);
  });

  it("lets exactly one of 10 concurrent registrations of one name through; the rest are 409", async () => {
    const username = uniqueName("race");
    const ip = uniqueIp();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => registerUser({ username, email: `${username}_${i}@example.com`, password: "password123" }, { ip })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as AppError);
    expect(failures.map((e) => [e.status, e.code])).toEqual(Array(9).fill([409, "username_taken"]));
    expect(await getDb().$count(users, eq(users.username, username))).toBe(1);
  });

  it("answers 409 email_taken to concurrent registrations of one email", async () => {
    const email = `${uniqueName("mail")}@example.com`;
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => registerUser({ username: uniqueName("race"), email, password: "password123" }, { ip: uniqueIp() })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).code).toBe("email_taken");
  });

  it("rate limits registrations per IP (10 an hour) with 429 and a retry time", async () => {
    const ip = uniqueIp();
    await useUpRegistrations(ip, 1);
    await registerUser(newAccount(), { ip });
    const error = await expectAppError(registerUser(newAccount(), { ip }), 429, "rate_limited");
    expect((error as AppError & { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // Another client is not affected.
    await expect(registerUser(newAccount(), { ip: uniqueIp() })).resolves.toBeTruthy();
  });
});

describe("POST /api/v1/accounts", () => {
  it("registers → 201 User, and the password logs in", async () => {
    const input = newAccount({ displayName: "Grace" });
    const { status, body } = await readJson(await register(input));
    expect(status).toBe(201);
    expect(body).toMatchObject({ username: input.username, displayName: "Grace", followersCount: 0, isSuperstar: false });
    expect(body).not.toHaveProperty("email");
    expect(body).not.toHaveProperty("passwordHash");
    const [row] = await getDb().select().from(users).where(eq(users.id, body.id as string));
    expect(await verifyPassword(row!.passwordHash, input.password)).toBe(true);
  });

  it("answers 400 with fields for an invalid username, email or short password", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ username: "ab" }, "username"],
      [{ username: "has space" }, "username"],
      [{ username: "x".repeat(31) }, "username"],
      [{ email: "nope" }, "email"],
      [{ password: "1234567" }, "password"],
      [{ displayName: "d".repeat(51) }, "displayName"],
    ];
    for (const [override, field] of cases) {
      const { status, body } = await readJson<{ error: { code: string; fields: Record<string, string> } }>(await register(newAccount(override)));
      expect(status, JSON.stringify(override)).toBe(400);
      expect(body.error.code).toBe("invalid_input");
      expect(Object.keys(body.error.fields)).toEqual([field]);
    }
  });

  it("answers 400 for missing fields", async () => {
    const { status, body } = await readJson<{ error: { fields: Record<string, string> } }>(await register({}));
    expect(status).toBe(400);
    expect(Object.keys(body.error.fields).sort()).toEqual(["email", "password", "username"]);
  });

  it("answers 409 with fields for a taken username (Alice vs alice) and a taken email", async () => {
    const base = uniqueName("alice");
    const first = newAccount({ username: base });
    expect((await register(first)).status).toBe(201);

    const sameName = await readJson<{ error: { code: string; fields: Record<string, string> } }>(await register(newAccount({ username: base.replace("alice", "Alice") })));
    expect(sameName.status).toBe(409);
    expect(sameName.body.error.code).toBe("username_taken");
    expect(Object.keys(sameName.body.error.fields)).toEqual(["username"]);

    const sameEmail = await readJson<{ error: { code: string; fields: Record<string, string> } }>(await register(newAccount({ email: first.email })));
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.error.code).toBe("email_taken");
    expect(Object.keys(sameEmail.body.error.fields)).toEqual(["email"]);
  });

  it("gives exactly one 201 to 10 concurrent registrations of one name", async () => {
    const username = uniqueName("race");
    const ip = uniqueIp();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => register({ username, email: `${username}_${i}@example.com`, password: "password123" }, ip)),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
  });

  it("answers 400 invalid_json to a malformed body", async () => {
    const res = await POST(apiRequest("POST", "/api/v1/accounts", { raw: '{"username": "x",' }), routeParams({}));
    const { status, body } = await readJson<{ error: { code: string } }>(res);
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_json");
  });

  it("answers 429 with Retry-After past the per-IP limit", async () => {
    const ip = uniqueIp();
    await useUpRegistrations(ip, 1);
    expect((await register(newAccount(), ip)).status).toBe(201);
    const res = await register(newAccount(), ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
