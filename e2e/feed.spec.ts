// The home feed (issue 4): a reader sees the posts of the people they follow, newest
// first. Fan-out is asynchronous, so every "it shows up" waits for a condition (the
// "new posts" button, or a reload that shows the post) with a generous timeout.
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createPost, follow, logInAsAdmin, signedUpUser } from "./helpers";
import { HomePage } from "./pages/home-page";

/** Fan-out targets seconds; this leaves room for a busy test machine. */
const DELIVERY_TIMEOUT = 30_000;

test("a new user's feed says it is empty, and their own posts show at the top at once", async ({ page, homePage }) => {
  const me = await signedUpUser(page.request, "newbie");
  await homePage.goto();
  await expect(homePage.emptyState).toBeVisible();
  await expect(homePage.feed.getByRole("link", { name: "your profile" })).toHaveAttribute("href", `/u/${me.username}`);
  await expect(homePage.posts).toHaveCount(0);

  // No reload, no waiting for fan-out: the author sees their post at once.
  await homePage.post("My very first post.");
  await expect(homePage.posts).toHaveCount(1);
  await expect(homePage.emptyState).toHaveCount(0);
  await homePage.post("And a second one.");
  await expect(homePage.posts).toHaveText([/And a second one\./, /My very first post\./]);
});

test("a followed user's new post shows after “new posts”; after an unfollow their posts leave the feed", async ({
  browser,
  page,
  homePage,
  profilePage,
}) => {
  test.setTimeout(120_000);
  // The reader in the test's page; the author in a browser of their own.
  const reader = await signedUpUser(page.request, "reader");
  const authorContext = await browser.newContext();
  try {
    const author = await signedUpUser(authorContext.request, "author");
    const authorHome = new HomePage(await authorContext.newPage());
    await createPost(page.request, `Reader's own post, ${reader.username}.`);
    const theirPost = `Fresh from ${author.username}: hello, followers!`;

    await test.step("the reader follows the author", async () => {
      await profilePage.goto(author.username);
      await profilePage.followButton(author.username).click();
      await expect(profilePage.unfollowButton(author.username)).toBeVisible();
    });

    await test.step("the author posts; the reader clicks “1 new post” and sees it on top", async () => {
      await homePage.goto();
      await expect(homePage.posts).toHaveCount(1);
      await authorHome.goto();
      await authorHome.post(theirPost);

      await homePage.waitForNewPosts(DELIVERY_TIMEOUT);
      await expect(homePage.newPostsButton).toHaveText("1 new post");
      await homePage.showNewPosts();
      await expect(homePage.posts).toHaveCount(2);
      await expect(homePage.posts.first()).toContainText(theirPost);
      await expect(homePage.posts.first()).toContainText(`@${author.username}`);
    });

    await test.step("after an unfollow the author's posts leave the feed, the reader's stay", async () => {
      await profilePage.goto(author.username);
      await profilePage.unfollowButton(author.username).click();
      await expect(profilePage.followButton(author.username)).toBeVisible();
      await homePage.goto();
      await homePage.reloadUntil(() => expect(homePage.postCard(theirPost).root).toHaveCount(0), DELIVERY_TIMEOUT);
      await expect(homePage.posts).toHaveCount(1);
      await expect(homePage.posts.first()).toContainText("Reader's own post");
    });

    await test.step("following again brings them back", async () => {
      await profilePage.goto(author.username);
      await profilePage.followButton(author.username).click();
      await expect(profilePage.unfollowButton(author.username)).toBeVisible();
      await homePage.goto();
      await homePage.reloadUntil(() => expect(homePage.posts.first()).toContainText(theirPost), DELIVERY_TIMEOUT);
    });
  } finally {
    await authorContext.close();
  }
});

test("a superstar's posts reach their followers, from before and after the flag", async ({ browser, page, playwright, baseURL, homePage }) => {
  test.setTimeout(120_000);
  await signedUpUser(page.request, "fan");
  const starContext = await browser.newContext();
  const admin = await playwright.request.newContext({ baseURL });
  try {
    const star = await signedUpUser(starContext.request, "star");
    await follow(page.request, star.username);

    // Pushed while the star is an ordinary account.
    const before = `${star.username} before the flag`;
    await createPost(starContext.request, before);
    await homePage.goto();
    await homePage.reloadUntil(() => expect(homePage.postCard(before).root).toBeVisible({ timeout: 1_000 }), DELIVERY_TIMEOUT);

    await logInAsAdmin(admin);
    const res = await admin.put(`/api/v1/admin/superstars/${star.username}`);
    expect(res.status(), await res.text()).toBe(200);
    expect(await res.json()).toMatchObject({ username: star.username, isSuperstar: true });

    // Pulled at read time from now on; the earlier post must not vanish.
    const after = `${star.username} after the flag`;
    await createPost(starContext.request, after);
    await homePage.reloadUntil(() => expect(homePage.postCard(after).root).toBeVisible({ timeout: 1_000 }), DELIVERY_TIMEOUT);
    await expect(homePage.posts).toHaveText([new RegExp(after), new RegExp(before)]);
  } finally {
    await admin.dispose();
    await starContext.close();
  }
});

test("scrolling to the end of the feed loads older pages down to the oldest post", async ({ page, playwright, baseURL, homePage }) => {
  test.setTimeout(120_000);
  const TOTAL = 45;
  await signedUpUser(page.request, "scrollfan");
  const authorRequest = await playwright.request.newContext({ baseURL });
  try {
    const author = await signedUpUser(authorRequest, "prolific");
    await follow(page.request, author.username);
    for (let i = 1; i <= TOTAL; i++) await createPost(authorRequest, `Feed post #${i}.`);
    // Every post has reached the reader's feed (fan-out is asynchronous).
    await expect.poll(() => feedAuthors(page.request).then((a) => a.filter((u) => u === author.username).length), {
      timeout: DELIVERY_TIMEOUT,
    }).toBe(TOTAL);

    await homePage.goto();
    await expect(homePage.posts).toHaveCount(20);
    await expect(homePage.posts.first()).toContainText(`Feed post #${TOTAL}.`);
    await expect(homePage.posts.last()).toContainText(`Feed post #${TOTAL - 19}.`);

    // Each scroll to the end loads the next page, until there is nothing older.
    await expect(async () => {
      await homePage.posts.last().scrollIntoViewIfNeeded();
      await page.mouse.wheel(0, 5000);
      await expect(homePage.posts).toHaveCount(TOTAL, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    // Newest first, each once, none skipped.
    const expected = Array.from({ length: TOTAL }, (_, i) => new RegExp(`Feed post #${TOTAL - i}\\.`));
    await expect(homePage.posts).toHaveText(expected);
    await expect(homePage.feed.getByText("That's everything.")).toBeVisible();
    await expect(homePage.loadMoreButton).toHaveCount(0);
  } finally {
    await authorRequest.dispose();
  }
});

/** The usernames of the authors in the first 100 posts of `request`'s user's feed. */
async function feedAuthors(request: APIRequestContext): Promise<string[]> {
  const res = await request.get("/api/v1/feed?limit=100");
  expect(res.status(), await res.text()).toBe(200);
  const page = (await res.json()) as { items: { author: { username: string } }[] };
  return page.items.map((post) => post.author.username);
}
