// The admin page: only admins get in; an admin finds a new account, flags it as a
// superstar, and sees it in the superstar list.
import { expect, test } from "./fixtures";
import { E2E_ADMIN, createAccount, logInAsAdmin, newUser, signedUpUser } from "./helpers";

test("a non-admin gets a 403 page, no Admin link, and 403 from the admin API", async ({ page, adminPage, nav }) => {
  const me = await signedUpUser(page.request, "notadmin");
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await nav.expectLoggedInAs(me.username);
  await expect(adminPage.navLink).toHaveCount(0);
  expect((await page.request.get("/api/v1/admin/superstars")).status()).toBe(403);
  expect((await page.request.put(`/api/v1/admin/superstars/${me.username}`)).status()).toBe(403);
});

test("a logged-out visitor is sent to log in, and an admin comes back to /admin", async ({ page, request, loginPage, adminPage }) => {
  await logInAsAdmin(request); // makes sure the account exists
  await page.goto("/admin");
  await expect(page).toHaveURL("/login?next=/admin");
  await loginPage.logIn(E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL("/admin");
  await expect(adminPage.heading).toHaveText("Admin");
});

test("an admin finds a new account, flags it, and sees it among the superstars", async ({ page, request, adminPage }) => {
  const star = newUser("star");
  await createAccount(request, star);
  await logInAsAdmin(page.request);

  await page.goto("/");
  await adminPage.navLink.click();
  await expect(page).toHaveURL("/admin");
  await expect(adminPage.heading).toHaveText("Admin");
  await expect(adminPage.fanout.getByText(/No data yet|p50/).first()).toBeVisible();

  await test.step("a bad search says why", async () => {
    await adminPage.search("@");
    await expect(page.getByText("Type part of a username or display name.")).toBeVisible();
    await expect(adminPage.searchField).toHaveAttribute("aria-invalid", "true");
  });

  await test.step("search, in any case, with the @", async () => {
    await adminPage.search(`@${star.username.toUpperCase()}`);
    const row = adminPage.result(star.username);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(star.displayName);
    await expect(row).toContainText("0 followers");
    await expect(row.getByText("Superstar", { exact: true })).toHaveCount(0);
    await expect(adminPage.superstar(star.username)).toHaveCount(0);
  });

  await test.step("flag, after confirming", async () => {
    const row = adminPage.result(star.username);
    await row.getByRole("button", { name: `Flag as superstar @${star.username}` }).click();
    await row.getByRole("button", { name: "Cancel" }).click();
    await expect(row.getByRole("button", { name: `Flag as superstar @${star.username}` })).toBeVisible();
    await adminPage.flag(star.username);
    const listed = adminPage.superstar(star.username);
    await expect(listed).toHaveCount(1);
    await expect(listed.getByText("Superstar", { exact: true })).toBeVisible();
    await expect(listed).toContainText("0 followers");
  });

  await test.step("it stays flagged, and the API agrees", async () => {
    await page.reload();
    await expect(adminPage.result(star.username).getByText("Superstar", { exact: true })).toBeVisible();
    await expect(adminPage.result(star.username).getByRole("button")).toHaveCount(0);
    const profile = (await (await page.request.get(`/api/v1/users/${star.username}`)).json()) as { isSuperstar: boolean };
    expect(profile.isSuperstar).toBe(true);
  });
});
