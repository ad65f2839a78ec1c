// A new user's first visit, end to end in the browser: a logged-out visitor reads /explore;
// they register, find someone through search and someone else through "Who to follow",
// follow both and read their posts; they put up an avatar and see it on their own post, post
// with an image; and finally they delete the account, which signs them out and takes their
// follows with it.
import { expect, test, type Page } from "@playwright/test";
import { createAccount, createPost, follow, logIn, newUser, type TestUser } from "./helpers";

// A 2×2 PNG, so the test needs no image library.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAFElEQVQImWP4z8DAAMIM/////w8AH+4F+0HwQUsAAAAASUVORK5CYII=",
  "base64",
);

/** Reloads the home page until `text` is in the feed (fan-out runs in the background). */
async function expectInFeed(page: Page, text: string) {
  await expect(async () => {
    await page.goto("/");
    await expect(page.getByRole("main").getByText(text)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

test("a new user finds people, follows them, reads them, shows a face and a picture, then leaves", async ({ page, browser }) => {
  // Two people already on Starling: one to be found by search, who follows the other, who
  // is then the first friend-of-a-friend suggestion.
  const others = await browser.newContext();
  const found = newUser("found");
  const suggested = newUser("suggested");
  for (const person of [found, suggested]) await createAccount(others.request, person);
  await logIn(others.request, suggested);
  await createPost(others.request, `Suggested says hi ${suggested.username}`);
  await logIn(others.request, found);
  await createPost(others.request, `Found says hello ${found.username}`);
  await follow(others.request, suggested.username);

  // A visitor reads what people post before signing up.
  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  await visitorPage.goto("/explore");
  await expect(visitorPage.getByRole("main").getByText(`Found says hello ${found.username}`)).toBeVisible();
  await visitor.close();

  // Registering lands on an empty home feed that suggests people.
  const me: TestUser = newUser("newbie");
  await page.goto("/register");
  const form = page.getByRole("main");
  await form.getByLabel("Username").fill(me.username);
  await form.getByLabel("Display name").fill(me.displayName);
  await form.getByLabel("Email").fill(me.email);
  await form.getByLabel("Password").fill(me.password);
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("main").getByRole("region", { name: "Who to follow" })).toBeVisible();

  // Search finds the first person by display name; following them brings their posts.
  await page.getByRole("search", { name: "Site search" }).getByLabel("Search people and posts").fill(found.displayName);
  await page.getByRole("search", { name: "Site search" }).getByLabel("Search people and posts").press("Enter");
  await expect(page).toHaveURL(/\/search\?q=/);
  await page.getByRole("main").getByRole("link", { name: found.displayName }).first().click();
  await expect(page).toHaveURL(`/u/${found.username}`);
  await page.getByRole("main").getByRole("button", { name: `Follow @${found.username}` }).click();
  await expect(page.getByRole("main").getByRole("button", { name: `Unfollow @${found.username}` })).toBeVisible();
  await expectInFeed(page, `Found says hello ${found.username}`);

  // Who to follow now suggests whom they follow; following from there works too.
  const aside = page.getByRole("complementary").getByRole("region", { name: "Who to follow" });
  const row = aside.getByRole("listitem").filter({ hasText: `@${suggested.username}` });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: `Follow @${suggested.username}` }).click();
  await expect(row.getByRole("button", { name: `Unfollow @${suggested.username}` })).toBeVisible();
  await expectInFeed(page, `Suggested says hi ${suggested.username}`);

  // An avatar, then a post with an image: the face is on the post, the picture in it.
  await page.goto("/settings");
  await page.getByLabel("Upload an avatar").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG });
  await expect(page.getByText("Avatar updated.")).toBeVisible();
  const avatarSrc = (await page.getByRole("img", { name: "Your avatar" }).getAttribute("src"))!;
  await page.goto("/");
  await page.getByLabel("Add images").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("Alt text for image 1").fill("four coloured squares");
  await page.getByLabel("New post").fill(`my first picture ${me.username}`);
  await page.getByRole("button", { name: "Post", exact: true }).click();
  await expect(page.getByText("Posted.")).toBeVisible();
  const mine = page.getByRole("article").filter({ hasText: `my first picture ${me.username}` });
  await expect(mine.getByRole("img", { name: "four coloured squares" })).toBeVisible();
  await expect(mine.locator(`img[src="${avatarSrc}"]`)).toHaveCount(1);

  // Deleting the account signs out, and the people they followed lose a follower.
  await page.goto("/settings");
  const deleteForm = page.getByRole("form", { name: "Delete account" });
  await deleteForm.getByLabel("Your password").fill(me.password);
  await deleteForm.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" })).toBeVisible();
  expect((await page.request.get(`/api/v1/users/${me.username}`)).status()).toBe(404);
  expect(((await (await others.request.get(`/api/v1/users/${found.username}`)).json()) as { followersCount: number }).followersCount).toBe(0);
  await others.close();
});

test("deleting an account asks for the password and keeps the account when it is wrong", async ({ page }) => {
  const me = newUser("stay");
  await createAccount(page.request, me);
  await logIn(page.request, me);
  await page.goto("/settings");
  const deleteForm = page.getByRole("form", { name: "Delete account" });
  await deleteForm.getByLabel("Your password").fill("not my password");
  await deleteForm.getByRole("button", { name: "Delete my account" }).click();
  await expect(deleteForm.getByText("Your current password is not correct.")).toBeVisible();
  expect((await page.request.get("/api/v1/me")).status()).toBe(200);
});
