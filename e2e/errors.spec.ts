// What a person sees when something is refused: a too-long post, a wrong password,
// invalid registration fields.
import { expect, test } from "./fixtures";
import { createAccount, logIn, newUser } from "./helpers";

test("a too-long post is stopped by the counter, and by the server if submitted anyway", async ({ page, homePage, profilePage }) => {
  const me = newUser("longpost");
  await createAccount(page.request, me);
  await logIn(page.request, me);
  await homePage.goto();

  // Characters as a person counts them: a family emoji is one.
  const family = "👨‍👩‍👧‍👦";
  await homePage.content.fill(family.repeat(280));
  await expect(homePage.counter).toHaveText("280/280");
  await expect(homePage.counter).not.toHaveClass(/over/);
  await expect(homePage.postButton).toBeEnabled();

  await homePage.content.fill(`${family.repeat(280)}!`);
  await expect(homePage.counter).toContainText("281/280");
  await expect(homePage.counter).toHaveClass(/over/);
  await expect(homePage.counter).toHaveCSS("color", "rgb(198, 40, 40)");
  await expect(homePage.postButton).toBeDisabled();

  // Submitted anyway (as a form without JavaScript would be): the server's message shows.
  await homePage.content.evaluate((el: HTMLTextAreaElement) => el.form!.requestSubmit());
  await expect(page.getByText("Posts can be at most 280 characters.")).toBeVisible();
  // The draft is not lost.
  await expect(homePage.counter).toContainText("281/280");

  await profilePage.goto(me.username);
  await expect(profilePage.counts).toContainText("0 posts");
});

test("a wrong password says so, and the right one logs in", async ({ page, request, loginPage, nav }) => {
  const me = newUser("wrongpw");
  await createAccount(request, me);

  await loginPage.goto();
  await loginPage.logIn(me.email, "not-my-password");
  await expect(loginPage.alert).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL("/login");
  await expect(loginPage.email).toHaveValue(me.email);
  await expect(nav.logInLink).toBeVisible();

  await loginPage.logIn(me.email, me.password);
  await nav.expectLoggedInAs(me.username);
});

test("logging in from a protected page comes back to it", async ({ page, request, loginPage }) => {
  const me = newUser("nextpage");
  await createAccount(request, me);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?next=/);
  await loginPage.logIn(me.email, me.password);
  await expect(page).toHaveURL("/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
});

test("registration explains each invalid field and a taken username", async ({ page, request, registerPage }) => {
  await registerPage.goto();
  await registerPage.register({ username: "No Spaces!", email: "not-an-email", password: "short" });
  await expect(registerPage.fieldError("Usernames are 3–30 letters, digits or underscores.")).toBeVisible();
  await expect(registerPage.fieldError("Enter a valid email address.")).toBeVisible();
  await expect(registerPage.fieldError("Passwords need at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
  // What was typed stays (except the password).
  await expect(page.getByLabel("Username")).toHaveValue("No Spaces!");

  const taken = newUser("taken");
  await createAccount(request, taken);
  await registerPage.register({ username: taken.username, email: newUser("fresh").email, password: "long-enough-pw" });
  await expect(registerPage.fieldError("That username is taken.")).toBeVisible();
  await expect(page).toHaveURL("/register");
});

test("settings refuse an empty display name and keep the old one", async ({ page, settingsPage, profilePage }) => {
  const me = newUser("settings");
  await createAccount(page.request, me);
  await logIn(page.request, me);
  await settingsPage.goto();
  await settingsPage.save({ displayName: "   " });
  await expect(page.getByText("Display names can't be empty.")).toBeVisible();
  await profilePage.goto(me.username);
  await expect(profilePage.heading).toHaveText(me.displayName);
});

test("an address with a broken percent-escape is a 400, not a server error", async ({ page, request }) => {
  const res = await page.goto("/u/%E0%A4%A");
  expect(res?.status()).toBe(400);
  await expect(page.getByText("That address is not valid.")).toBeVisible();

  const api = await request.get("/api/v1/posts/%zz");
  expect(api.status()).toBe(400);
  expect(await api.json()).toMatchObject({ error: { code: "invalid_path" } });
});
