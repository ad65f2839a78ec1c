// What a person sees when something is refused: a too-long post, a wrong password,
// invalid registration fields; and what a client gets for bad input a browser would never
// send: always a 4xx in the right shape, never a 500.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { createAccount, logIn, newUser, signedUpUser } from "./helpers";

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

test("a control character in an address is a 400, never a database error", async ({ page, request }) => {
  const api = await request.get("/api/v1/users/%00/posts");
  expect(api.status()).toBe(400);
  expect(await api.json()).toMatchObject({ error: { code: "invalid_path" } });

  const res = await page.goto("/u/a%01b");
  expect(res?.status()).toBe(400);
  await expect(page.getByText("That address is not valid.")).toBeVisible();
});

test("unknown API paths and methods answer in the API's error shape", async ({ request }) => {
  for (const [method, url] of [["GET", "/api/v1/nope"], ["POST", "/api/v1/users/someone/nope"], ["GET", "/api/v1"]] as const) {
    const res = await request.fetch(url, { method });
    expect(res.status(), `${method} ${url}`).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "That API endpoint was not found." } });
  }
  const wrongMethod = await request.delete("/api/v1/feed");
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()["allow"]).toBe("GET, HEAD, OPTIONS");
  expect(await wrongMethod.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  const options = await request.fetch("/api/v1/posts", { method: "OPTIONS" });
  expect(options.status()).toBe(204);
  expect(options.headers()["allow"]).toBe("OPTIONS, POST");
});

/** A server action's id, from the build's manifest (the browser finds it in the page's JS). */
function actionId(exportedName: string): string {
  const file = path.join(process.env.NEXT_DIST_DIR || ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, { exportedName: string }> };
  const entry = Object.entries(manifest.node).find(([, action]) => action.exportedName === exportedName);
  if (!entry) throw new Error(`no server action ${exportedName} in ${file}`);
  return entry[0];
}

test("a server action called with malformed arguments or a malformed body is answered, never a 500", async ({ request }) => {
  await signedUpUser(request, "badaction");
  const call = (name: string, data: string, headers: Record<string, string> = {}) =>
    request.post("/", { headers: { "Next-Action": actionId(name), "Content-Type": "text/plain;charset=UTF-8", ...headers }, data });

  // Arguments of the wrong kind: the action's own error state, as a form would show it.
  const wrongArgs = await call("createPostAction", "[{},{}]");
  expect(wrongArgs.status()).toBe(200);
  expect(await wrongArgs.text()).toContain("Write something first.");
  const wrongObject = await call("setLikeAction", "[5]");
  expect(wrongObject.status()).toBe(200);
  expect(await wrongObject.text()).toContain("Some fields are invalid.");

  // Bodies Next.js cannot decode, too large, or cross-site: refused in plain text.
  const garbage = await call("createPostAction", "garbage{");
  expect(garbage.status()).toBe(400);
  expect(await garbage.text()).toBe("The submission could not be read.");
  const garbageForm = await call("createPostAction", "garbage", { "Content-Type": "multipart/form-data; boundary=XyZ" });
  expect(garbageForm.status()).toBe(400);
  const tooLarge = await call("createPostAction", `["${"a".repeat(2 * 1024 * 1024)}"]`);
  expect(tooLarge.status()).toBe(413);
  expect(await tooLarge.text()).toBe("The submission is larger than 1 MB.");
  const crossSite = await call("createPostAction", "[null,null]", { Origin: "https://evil.example" });
  expect(crossSite.status()).toBe(403);
});

test("a form posted without JavaScript that cannot be read is a 400 page, not a 500", async ({ request }) => {
  const res = await request.post("/settings", { headers: { "Content-Type": "multipart/form-data; boundary=XyZ" }, data: "garbage" });
  expect(res.status()).toBe(400);
  expect(await res.text()).toContain("The submission could not be read.");
});

test("pages, the API and static files send the security headers; HSTS only over HTTPS", async ({ page, request }) => {
  await page.goto("/login");
  const script = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
  for (const url of ["/login", "/api/v1/users/nobody_here", script!]) {
    const headers = (await request.get(url)).headers();
    expect(headers["content-security-policy"], url).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"], url).toBe("DENY");
    expect(headers["x-content-type-options"], url).toBe("nosniff");
    expect(headers["referrer-policy"], url).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"], url).toBeUndefined();
  }
  // Behind a TLS-terminating proxy, which says so in X-Forwarded-Proto.
  const https = await request.get("/login", { headers: { "X-Forwarded-Proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toContain("max-age=");
});

test("the content security policy lets the app work and keeps it out of frames", async ({ page, homePage, profilePage }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const me = await signedUpUser(page.request, "csp");
  await homePage.goto();
  await homePage.post("Posted under a content security policy");
  await expect(homePage.postCard("Posted under a content security policy").root).toBeVisible();
  await profilePage.goto(me.username);
  await expect(profilePage.heading).toHaveText(me.displayName);
  expect(violations).toEqual([]);

  // Another site framing Starling: the browser refuses to show it.
  const refused = page.waitForEvent("console", (message) => message.text().includes("frame-ancestors"));
  await page.setContent(`<iframe src="${new URL("/login", page.url()).href}"></iframe>`);
  await refused;
});
