import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { getCurrentUser } from "@/lib/auth/current-user";
import { hashPassword } from "@/lib/auth/password";
import { verifyCredentials } from "@/lib/auth/credentials";
import { POST as changePasswordRoute } from "@/app/api/v1/me/password/route";
import { POST as revokeRoute } from "@/app/api/v1/me/sessions/revoke/route";
import { changePasswordAction, signOutEverywhereAction } from "@/app/actions/account";
import { signOut } from "@/lib/auth";
import { apiRequest, makeUser, readJson, routeParams, type ErrorBody } from "../support/fixtures";
import { signIn, testAuthSecret, setRequestCookie } from "./cookie-jar";

vi.mock("next/headers", () => import("./cookie-jar"));
// next-auth does not load under Vitest; the actions only use its signOut (cookie clearing
// and the redirect), whose session revocation lib/auth/sessions does and is tested here.
vi.mock("@/lib/auth", () => ({ signOut: vi.fn() }));

const OLD = "old-password-1";
const NEW = "new-password-2";

beforeAll(() => testAuthSecret());
afterEach(() => {
  delete process.env.TRUSTED_PROXY_HOPS;
  resetEnvCache();
});

async function userWithPassword() {
  return makeUser({ passwordHash: await hashPassword(OLD) });
}

async function isSignedIn(cookie: string): Promise<boolean> {
  setRequestCookie(cookie);
  return (await getCurrentUser()) !== null;
}

function call(route: typeof revokeRoute, cookie: string | undefined, path: string, json?: unknown, headers: Record<string, string> = {}) {
  setRequestCookie(cookie);
  return route(apiRequest("POST", path, { json, headers }), routeParams({}));
}

describe("POST /api/v1/me/password", () => {
  it("changes the password (204), keeps this session and signs out the others", async () => {
    const user = await userWithPassword();
    const here = await signIn(user);
    const [phone, laptop] = [await signIn(user), await signIn(user)];
    const res = await call(changePasswordRoute, here.cookie, "/api/v1/me/password", { currentPassword: OLD, newPassword: NEW });
    expect(res.status).toBe(204);
    expect(await isSignedIn(here.cookie)).toBe(true);
    expect(await isSignedIn(phone.cookie)).toBe(false);
    expect(await isSignedIn(laptop.cookie)).toBe(false);
    expect(await verifyCredentials({ email: user.email, password: NEW })).toMatchObject({ id: user.id });
    expect(await verifyCredentials({ email: user.email, password: OLD })).toBeNull();
  });

  it("refuses a wrong current password with 403 wrong_password and changes nothing", async () => {
    const user = await userWithPassword();
    const here = await signIn(user);
    const other = await signIn(user);
    const res = await readJson<ErrorBody>(await call(changePasswordRoute, here.cookie, "/api/v1/me/password", { currentPassword: "not-it-at-all", newPassword: NEW }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("wrong_password");
    expect(await isSignedIn(other.cookie)).toBe(true);
    expect(await verifyCredentials({ email: user.email, password: OLD })).toMatchObject({ id: user.id });
  });

  it("refuses a weak new password with 400 and the field named, like registration", async () => {
    const user = await userWithPassword();
    const here = await signIn(user);
    const res = await readJson<ErrorBody>(await call(changePasswordRoute, here.cookie, "/api/v1/me/password", { currentPassword: OLD, newPassword: "short" }));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ newPassword: "Passwords need at least 8 characters." });
    expect(await verifyCredentials({ email: user.email, password: OLD })).not.toBeNull();
  });

  it("needs a session: 401 without one, and 401 for a cookie that was signed out", async () => {
    const user = await userWithPassword();
    const gone = await signIn(user);
    await call(revokeRoute, gone.cookie, "/api/v1/me/sessions/revoke");
    expect((await call(changePasswordRoute, undefined, "/api/v1/me/password", { currentPassword: OLD, newPassword: NEW })).status).toBe(401);
    expect((await call(changePasswordRoute, gone.cookie, "/api/v1/me/password", { currentPassword: OLD, newPassword: NEW })).status).toBe(401);
  });
});

describe("POST /api/v1/me/sessions/revoke", () => {
  it("signs out every session of the account, this one too (204), and no other account's", async () => {
    const user = await userWithPassword();
    const here = await signIn(user);
    const elsewhere = await signIn(user);
    const someoneElse = await signIn(await makeUser());
    expect((await call(revokeRoute, here.cookie, "/api/v1/me/sessions/revoke")).status).toBe(204);
    expect(await isSignedIn(here.cookie)).toBe(false);
    expect(await isSignedIn(elsewhere.cookie)).toBe(false);
    expect(await isSignedIn(someoneElse.cookie)).toBe(true);
    expect((await call(revokeRoute, here.cookie, "/api/v1/me/sessions/revoke")).status).toBe(401);
  });
});

describe("the same-origin check of writes", () => {
  const path = "/api/v1/me/sessions/revoke";
  // Past the check, a request without a session gets 401; refused by it, 403.
  it("compares Origin with Host when no proxy is trusted, ignoring X-Forwarded-Host", async () => {
    expect((await call(revokeRoute, undefined, path, undefined, { origin: "http://localhost:3000", host: "localhost:3000" })).status).toBe(401);
    const forged = await call(revokeRoute, undefined, path, undefined, { origin: "https://evil.example", host: "localhost:3000", "x-forwarded-host": "evil.example" });
    expect(forged.status).toBe(403);
    expect(((await readJson<ErrorBody>(forged)).body.error.code)).toBe("forbidden");
  });

  it("with a trusted proxy, compares Origin with the host the proxy forwarded", async () => {
    process.env.TRUSTED_PROXY_HOPS = "1";
    resetEnvCache();
    const viaProxy = { origin: "https://starling.example", host: "10.0.0.5:3000" };
    expect((await call(revokeRoute, undefined, path, undefined, { ...viaProxy, "x-forwarded-host": "starling.example" })).status).toBe(401);
    expect((await call(revokeRoute, undefined, path, undefined, viaProxy)).status).toBe(403);
    expect((await call(revokeRoute, undefined, path, undefined, { ...viaProxy, "x-forwarded-host": "other.example" })).status).toBe(403);
  });
});

describe("the /settings password form (changePasswordAction)", () => {
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    return data;
  };

  it("changes the password with the same rules, naming the field that is wrong", async () => {
    const user = await userWithPassword();
    const here = await signIn(user);
    const other = await signIn(user);
    setRequestCookie(here.cookie);
    expect(await changePasswordAction({}, form({ currentPassword: "nope-nope", newPassword: NEW, confirmPassword: NEW }))).toEqual({
      fields: { currentPassword: "Your current password is not correct." },
    });
    expect(await changePasswordAction({}, form({ currentPassword: OLD, newPassword: NEW, confirmPassword: "different" }))).toEqual({
      fields: { confirmPassword: "The two new passwords differ." },
    });
    expect((await changePasswordAction({}, form({ currentPassword: OLD, newPassword: "short", confirmPassword: "short" }))).fields).toEqual({
      newPassword: "Passwords need at least 8 characters.",
    });
    expect(await isSignedIn(other.cookie)).toBe(true);
    setRequestCookie(here.cookie);
    expect(await changePasswordAction({}, form({ currentPassword: OLD, newPassword: NEW, confirmPassword: NEW }))).toEqual({ ok: true });
    expect(await isSignedIn(here.cookie)).toBe(true);
    expect(await isSignedIn(other.cookie)).toBe(false);
  });
});

describe('the /settings "Sign out everywhere" button (signOutEverywhereAction)', () => {
  it("ends every session of the account and signs this browser out to /login", async () => {
    const user = await userWithPassword();
    const here = await signIn(user);
    const elsewhere = await signIn(user);
    setRequestCookie(here.cookie);
    await signOutEverywhereAction();
    expect(await isSignedIn(here.cookie)).toBe(false);
    expect(await isSignedIn(elsewhere.cookie)).toBe(false);
    expect(signOut).toHaveBeenCalledWith({ redirectTo: "/login" });
  });
});
