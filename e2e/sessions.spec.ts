// Sessions end on the server: a second browser holding the same account (or a copy of
// the cookie) is signed out by a password change, by "Sign out everywhere" and by logging out.
import type { APIRequestContext, Browser } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createAccount, logIn, newUser, type TestUser } from "./helpers";
import type { LoginPage } from "./pages/auth-pages";
import type { SiteNav } from "./pages/site-nav";

/** A new account, logged in through the login page of this browser. */
async function loggedInUser(prefix: string, { request, loginPage, nav }: { request: APIRequestContext; loginPage: LoginPage; nav: SiteNav }) {
  const user = newUser(prefix);
  await createAccount(request, user);
  await loginPage.goto();
  await loginPage.logIn(user.email, user.password);
  await nav.expectLoggedInAs(user.username);
  return user;
}

/** A second browser, logged in as `user` through the standard Auth.js flow. */
async function otherBrowser(browser: Browser, user: TestUser) {
  const context = await browser.newContext();
  await logIn(context.request, user);
  return context;
}

async function expectSignedOut(request: APIRequestContext) {
  // Another process may hold the session for up to SESSION_CHECK_TTL_MS; this one at once.
  await expect.poll(async () => (await request.get("/api/v1/me")).status(), { timeout: 10_000 }).toBe(401);
}

test("changing the password in /settings signs out the other browser, not this one", async ({ page, browser, request, loginPage, settingsPage, nav }) => {
  const user = await loggedInUser("pwchange", { request, loginPage, nav });
  const other = await otherBrowser(browser, user);

  await settingsPage.goto();
  await settingsPage.changePassword({ current: "not-my-password", next: "brand-new-password-1" });
  await expect(settingsPage.passwordForm.getByText("Your current password is not correct.")).toBeVisible();
  expect((await other.request.get("/api/v1/me")).status()).toBe(200);

  await settingsPage.changePassword({ current: user.password, next: "brand-new-password-1" });
  await expect(settingsPage.passwordChanged).toBeVisible();
  await expectSignedOut(other.request);
  const otherPage = await other.newPage();
  await otherPage.goto("/settings");
  await expect(otherPage).toHaveURL(/\/login\?next=\/settings$/);

  await page.reload();
  await nav.expectLoggedInAs(user.username);
  await other.close();
});

test("Sign out everywhere ends every session and lands on the login page", async ({ page, browser, request, loginPage, settingsPage, nav }) => {
  const user = await loggedInUser("everywhere", { request, loginPage, nav });
  const other = await otherBrowser(browser, user);

  await settingsPage.goto();
  await settingsPage.signOutEverywhere();
  await expect(page).toHaveURL(/\/login$/);
  await expect(nav.logInLink).toBeVisible();
  await expectSignedOut(page.request);
  await expectSignedOut(other.request);
  await other.close();
});

test("logging out ends the session for a copy of its cookie too", async ({ page, browser, request, loginPage, nav }) => {
  await loggedInUser("logout", { request, loginPage, nav });
  const copy = await browser.newContext();
  await copy.addCookies(await page.context().cookies());
  expect((await copy.request.get("/api/v1/me")).status()).toBe(200);

  await nav.logOut();
  await expectSignedOut(copy.request);
  await copy.close();
});
