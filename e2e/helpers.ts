// Test data through the JSON API: accounts, logins (the standard Auth.js flow) and posts.
// Each test makes its own users with unique names, so tests never share data.
import { expect, type APIRequestContext } from "@playwright/test";

export interface TestUser {
  username: string;
  email: string;
  password: string;
  displayName: string;
}

let counter = 0;

/** A user nobody else has: usernames are 3–30 of a-z, 0-9, _. */
export function newUser(prefix: string): TestUser {
  const suffix = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const username = `${prefix.slice(0, 12)}_${suffix}`.toLowerCase();
  return {
    username,
    email: `${username}@example.test`,
    password: `pw-${suffix}-secret`,
    displayName: `${prefix[0]!.toUpperCase()}${prefix.slice(1)} ${suffix.slice(-4)}`,
  };
}

export async function createAccount(request: APIRequestContext, user: TestUser): Promise<{ id: string }> {
  const res = await request.post("/api/v1/accounts", {
    data: { username: user.username, email: user.email, password: user.password, displayName: user.displayName },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string };
}

/** Logs `request` in (its cookie jar keeps the session). A page's `page.request` shares the browser's cookies. */
export async function logIn(request: APIRequestContext, user: Pick<TestUser, "email" | "password">): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  expect(res.headers().location ?? "").not.toContain("error");
  expect((await request.get("/api/v1/me")).status()).toBe(200);
}

export async function createPost(request: APIRequestContext, content: string): Promise<{ id: string }> {
  const res = await request.post("/api/v1/posts", { data: { content } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string };
}

/** A user that exists and is logged in on `request`. */
export async function signedUpUser(request: APIRequestContext, prefix: string): Promise<TestUser> {
  const user = newUser(prefix);
  await createAccount(request, user);
  await logIn(request, user);
  return user;
}

/** The one admin account of the e2e server (ADMIN_EMAILS in playwright.config.ts). */
export const E2E_ADMIN: TestUser = {
  username: "e2e_admin",
  email: "e2e-admin@example.test",
  password: "e2e-admin-password",
  displayName: "E2E Admin",
};

/** Logs `request` in as the admin, creating the account on first use (tests run in parallel: a 409 means another test made it). */
export async function logInAsAdmin(request: APIRequestContext): Promise<void> {
  const res = await request.post("/api/v1/accounts", {
    data: { username: E2E_ADMIN.username, email: E2E_ADMIN.email, password: E2E_ADMIN.password, displayName: E2E_ADMIN.displayName },
  });
  expect([201, 409], await res.text()).toContain(res.status());
  await logIn(request, E2E_ADMIN);
}

/** `request`'s user follows `username` (the API is idempotent). */
export async function follow(request: APIRequestContext, username: string): Promise<void> {
  const res = await request.post(`/api/v1/users/${username}/follow`);
  expect(res.status(), await res.text()).toBe(200);
}
