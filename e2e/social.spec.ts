// The whole journey of issue 3 in one browser: register → log in → edit profile → post →
// see it on the profile → follow someone → like and unlike their post → delete our post →
// log out.
import { expect, test } from "./fixtures";
import { createAccount, createPost, logIn, newUser } from "./helpers";

test("a new user registers, posts, follows, likes, deletes and logs out", async ({
  page,
  request,
  nav,
  registerPage,
  loginPage,
  homePage,
  profilePage,
  settingsPage,
}) => {
  // Someone to follow, with a post to like (made through the API, with its own cookies).
  const other = newUser("other");
  await createAccount(request, other);
  await logIn(request, other);
  const theirPost = `Hello from ${other.username}`;
  await createPost(request, theirPost);

  const me = newUser("flow");

  await test.step("register", async () => {
    await registerPage.goto();
    await registerPage.register(me);
    await expect(page).toHaveURL("/");
    await nav.expectLoggedInAs(me.username);
    await nav.logOut();
  });

  await test.step("log in", async () => {
    await loginPage.goto();
    await loginPage.logIn(me.email, me.password);
    await expect(page).toHaveURL("/");
    await nav.expectLoggedInAs(me.username);
  });

  await test.step("edit profile", async () => {
    await nav.settingsLink.click();
    await settingsPage.save({ displayName: "Flow Tester", bio: "I click things so you don't have to." });
    await expect(settingsPage.saved).toBeVisible();
    await expect(settingsPage.displayName).toHaveValue("Flow Tester");
  });

  const myPost = `First post <b>not bold</b> hi @${other.username} https://example.com/a?b=1.`;
  await test.step("post", async () => {
    await homePage.goto();
    await homePage.post(myPost);
  });

  await test.step("see it on the profile", async () => {
    await nav.profileLink.click();
    await expect(profilePage.heading).toHaveText("Flow Tester");
    await expect(page.getByText("I click things so you don't have to.")).toBeVisible();
    await expect(profilePage.counts).toContainText("1 post");
    const card = profilePage.post("First post");
    await expect(card.root).toHaveCount(1);
    // Text, never HTML; the mention and the link are links.
    await expect(card.root).toContainText("<b>not bold</b>");
    await expect(card.root.locator("b")).toHaveCount(0);
    await expect(card.root.getByRole("link", { name: `@${other.username}` })).toHaveAttribute("href", `/u/${other.username}`);
    const url = card.root.getByRole("link", { name: "https://example.com/a?b=1" });
    await expect(url).toHaveAttribute("href", "https://example.com/a?b=1");
    await expect(url).toHaveAttribute("rel", "noopener nofollow ugc");
  });

  await test.step("follow another user", async () => {
    // Handles are case-insensitive; the address becomes the canonical one.
    await profilePage.goto(other.username.toUpperCase());
    await expect(page).toHaveURL(`/u/${other.username}`);
    await expect(profilePage.counts).toContainText("0 followers");
    await profilePage.followButton(other.username).click();
    await expect(profilePage.unfollowButton(other.username)).toBeVisible();
    await expect(profilePage.counts).toContainText("1 follower");
    await page.reload();
    await expect(profilePage.unfollowButton(other.username)).toBeVisible();
    await page.getByRole("link", { name: /1 follower/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`People following ${other.displayName}`);
    await expect(page.getByRole("link", { name: /Flow Tester/ })).toHaveAttribute("href", `/u/${me.username}`);
  });

  await test.step("like their post, then unlike it", async () => {
    await profilePage.goto(other.username);
    const card = profilePage.post(theirPost);
    await expect(card.likeCount(0)).toBeVisible();
    await card.like();
    await expect(card.unlikeButton).toBeVisible();
    await expect(card.likeCount(1)).toBeVisible();
    await page.reload();
    await expect(card.unlikeButton).toBeVisible();
    await expect(card.likeCount(1)).toBeVisible();

    await card.unlike();
    await expect(card.likeButton).toBeVisible();
    await expect(card.likeCount(0)).toBeVisible();
    await page.reload();
    await expect(card.likeButton).toBeVisible();
    await expect(card.likeCount(0)).toBeVisible();
  });

  await test.step("delete own post", async () => {
    await profilePage.goto(me.username);
    // Only one's own posts have a delete button.
    await profilePage.post("First post").delete();
    await expect(page.getByText("You haven’t posted yet.")).toBeVisible();
    await page.reload();
    await expect(profilePage.posts).toHaveCount(0);
    await expect(profilePage.counts).toContainText("0 posts");
  });

  await test.step("log out", async () => {
    await nav.logOut();
    await profilePage.goto(other.username);
    await expect(page.getByRole("link", { name: "Log in to follow" })).toBeVisible();
    await expect(profilePage.followButton(other.username)).toHaveCount(0);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings|\/login\?next=\/settings/);
  });
});

test("someone else's post has no delete button, and its page 404s once deleted", async ({ page, request, profilePage }) => {
  const author = newUser("author");
  await createAccount(request, author);
  await logIn(request, author);
  const { id } = await createPost(request, "Soon gone");

  const reader = newUser("reader");
  await createAccount(page.request, reader);
  await logIn(page.request, reader);

  await page.goto(`/p/${id}`);
  const card = profilePage.post("Soon gone");
  await expect(card.root).toBeVisible();
  await expect(card.root.getByRole("button", { name: "Delete" })).toHaveCount(0);

  expect((await request.delete(`/api/v1/posts/${id}`)).status()).toBe(204);
  const res = await page.goto(`/p/${id}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("deleting a post from its own page goes back to the profile", async ({ page, profilePage }) => {
  const me = newUser("deleter");
  await createAccount(page.request, me);
  await logIn(page.request, me);
  const { id } = await createPost(page.request, "Delete me from my page");

  await page.goto(`/p/${id}`);
  await profilePage.post("Delete me from my page").delete();
  await expect(page).toHaveURL(`/u/${me.username}`);
  await expect(profilePage.posts).toHaveCount(0);
});

test("unknown users and posts are 404 pages", async ({ page }) => {
  for (const path of ["/u/nobody_by_this_name_x", "/u/NOBODY_BY_THIS_NAME_X", "/p/99999999999", "/p/not-a-number"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
});
