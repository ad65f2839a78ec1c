// Conversations (issue 5), each person in a browser of their own: a reply shows in the
// thread and as a notification; a repost reaches the reposter's followers with "X reposted";
// muting the reposter takes it out of the feed; a block makes the blocker's profile and posts
// 404 for the blocked user. Notifications and fan-out are asynchronous, so every "it shows
// up" waits for a condition with a generous timeout.
//
// With E2E_SHOTS_DIR set, the tests also save screenshots (desktop and phone) of each
// screen there, to look at by eye.
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createPost, follow, signedUpUser, type TestUser } from "./helpers";
import { HomePage } from "./pages/home-page";
import { NotificationsPage } from "./pages/notifications-page";
import { ProfilePage } from "./pages/profile-page";
import { SiteNav } from "./pages/site-nav";
import { ThreadPage } from "./pages/thread-page";

/** Fan-out and notifications target seconds; this leaves room for a busy test machine. */
const DELIVERY_TIMEOUT = 30_000;

test("a reply shows in the thread for both, and its author's badge and notifications tell them", async ({ browser, page }) => {
  test.setTimeout(120_000);
  const thread = new ThreadPage(page);
  const replier = await signedUpUser(page.request, "replier");
  const bob = await person(browser, "original");
  try {
    const original = `What do you all think of starlings, ${bob.user.username}?`;
    const { id: postId } = await createPost(bob.page.request, original);
    const answer = `Murmurations are the best part, ${replier.username}.`;
    // Bob is on his home page before anything happens: nothing unread yet.
    await bob.home.goto();
    await bob.nav.expectUnread(0);

    let replyUrl = "";
    await test.step("the replier answers on the post's page and sees the reply under it", async () => {
      await thread.goto(postId);
      await expect(thread.post(original).replyCount(0)).toBeVisible();
      await thread.sendReply(answer);
      const reply = thread.reply(answer);
      await expect(reply.root).toHaveCount(1);
      await expect(reply.replyingTo(bob.user.username)).toBeVisible();
      await expect(thread.post(original).replyCount(1)).toBeVisible();
      await screenshots(page, "thread-with-reply");

      // The reply's own page has the post it answers above it.
      const view = page.getByRole("link", { name: "View your reply" });
      replyUrl = (await view.getAttribute("href")) ?? "";
      expect(replyUrl).toMatch(/^\/p\/\d+$/);
      expect(replyUrl).not.toBe(`/p/${postId}`);
      await view.click();
      await expect(page).toHaveURL(replyUrl);
      await expect(thread.context.getByRole("article")).toHaveCount(1);
      await expect(thread.context).toContainText(original);
      await expect(thread.post(answer).replyingTo(bob.user.username)).toBeVisible();
    });

    await test.step("the badge tells Bob, and the notifications page says who replied", async () => {
      await bob.nav.waitForUnread(1, DELIVERY_TIMEOUT);
      await bob.nav.notificationsLink.click();
      await expect(bob.notifications.heading).toHaveText("Notifications");
      const item = bob.notifications.item(`${replier.displayName} replied to your post`);
      await expect(item).toBeVisible();
      await expect(item).toContainText(answer);
      await expect(item.getByRole("link", { name: replier.displayName, exact: true })).toHaveAttribute("href", `/u/${replier.username}`);
      await screenshots(bob.page, "notifications");
      // Seen: the badge clears at once, and stays cleared after a reload.
      await bob.nav.expectUnread(0);
      await bob.page.reload();
      await expect(item).toBeVisible();
      await bob.nav.expectUnread(0);
    });

    await test.step("Bob sees the thread: his post with the reply under it, and the reply's page", async () => {
      await bob.thread.goto(postId);
      await expect(bob.thread.post(original).replyCount(1)).toBeVisible();
      const reply = bob.thread.reply(answer);
      await expect(reply.root).toHaveCount(1);
      await expect(reply.root.getByRole("link", { name: new RegExp(replier.displayName) })).toHaveAttribute("href", `/u/${replier.username}`);
      await bob.page.goto(replyUrl);
      await expect(bob.thread.context).toContainText(original);
      await expect(bob.thread.replyCards).toHaveCount(0);
      await expect(bob.page.getByText("No replies yet.")).toBeVisible();
    });
  } finally {
    await bob.context.close();
  }
});

test("a repost reaches the reposter's followers as “X reposted”, and muting the reposter takes it out", async ({
  browser,
  page,
  homePage,
  profilePage,
}) => {
  test.setTimeout(150_000);
  // The reader follows the reposter, not the author.
  const reader = await signedUpUser(page.request, "reader");
  const author = await person(browser, "author");
  const reposter = await person(browser, "reposter");
  try {
    const theirPost = `Only ${author.user.username}'s followers would see this without a repost.`;
    const { id: postId } = await createPost(author.page.request, theirPost);
    const readersOwn = `The reader's own post, ${reader.username}.`;
    await createPost(page.request, readersOwn);
    await follow(page.request, reposter.user.username);

    await test.step("the reposter reposts from the post's page", async () => {
      await reposter.thread.goto(postId);
      const card = reposter.thread.post(theirPost);
      await expect(card.repostButton).toHaveAttribute("aria-pressed", "false");
      await expect(card.repostCount(0)).toBeVisible();
      await card.repost();
      await expect(card.repostButton).toHaveAttribute("aria-pressed", "true");
      await expect(card.repostCount(1)).toBeVisible();
      await reposter.page.reload();
      await expect(card.repostButton).toHaveAttribute("aria-pressed", "true");
      await expect(card.repostCount(1)).toBeVisible();
    });

    await test.step("the reader's feed shows the post with “reposter reposted” above it", async () => {
      await homePage.goto();
      const card = homePage.postCard(theirPost);
      await homePage.reloadUntil(() => expect(card.root).toHaveCount(1, { timeout: 1_000 }), DELIVERY_TIMEOUT);
      await expect(card.repostedBy(reposter.user.displayName)).toBeVisible();
      await expect(card.root.getByRole("link", { name: reposter.user.displayName, exact: true })).toHaveAttribute(
        "href",
        `/u/${reposter.user.username}`,
      );
      await expect(card.root.getByRole("link", { name: new RegExp(author.user.displayName) })).toHaveAttribute("href", `/u/${author.user.username}`);
      await expect(card.repostCount(1)).toBeVisible();
      await expect(card.repostButton).toHaveAttribute("aria-pressed", "false");
      // Newest first: the repost is newer than the reader's own post.
      await expect(homePage.posts).toHaveText([new RegExp(escapeRegExp(theirPost)), new RegExp(escapeRegExp(readersOwn))]);
      // The reader's own post is not a repost.
      await expect(homePage.postCard(readersOwn).root).not.toContainText("reposted");
      await screenshots(page, "home-feed-reposted");
    });

    await test.step("the author hears about the repost", async () => {
      await author.home.goto();
      await author.nav.waitForUnread(1, DELIVERY_TIMEOUT);
      await author.notifications.goto();
      const item = author.notifications.item(`${reposter.user.displayName} reposted your post`);
      await expect(item).toBeVisible();
      await expect(item.getByRole("link", { name: theirPost })).toHaveAttribute("href", `/p/${postId}`);
    });

    await test.step("the reader mutes the reposter from “More”; the repost leaves the feed", async () => {
      await profilePage.goto(reposter.user.username);
      await profilePage.openMore();
      await expect(profilePage.showRepostsSwitch(reposter.user.username)).toBeChecked();
      await screenshots(page, "profile-more");
      await profilePage.mute(reposter.user.username);
      await page.reload();
      await expect(profilePage.relationLabel("Muted")).toBeVisible();
      // Still following: muting is not unfollowing.
      await expect(profilePage.unfollowButton(reposter.user.username)).toBeVisible();

      await homePage.goto();
      await homePage.reloadUntil(() => expect(homePage.postCard(theirPost).root).toHaveCount(0), DELIVERY_TIMEOUT);
      await expect(homePage.posts).toHaveCount(1);
      await expect(homePage.posts.first()).toContainText(readersOwn);
    });
  } finally {
    await Promise.all([author.context.close(), reposter.context.close()]);
  }
});

test("after a block, the blocked user gets 404 for the blocker's profile and posts", async ({ browser, page, profilePage }) => {
  test.setTimeout(120_000);
  const blocked = await signedUpUser(page.request, "blocked");
  const blocker = await person(browser, "blocker");
  try {
    const { id: postId } = await createPost(blocker.page.request, `A post by ${blocker.user.username} before the block.`);
    await follow(page.request, blocker.user.username);

    await test.step("before: the profile and the post are there", async () => {
      await profilePage.goto(blocker.user.username);
      await expect(profilePage.heading).toHaveText(blocker.user.displayName);
      await expect(profilePage.unfollowButton(blocker.user.username)).toBeVisible();
      expect((await page.goto(`/p/${postId}`))?.status()).toBe(200);
    });

    await test.step("the blocker blocks from “More”, confirming first", async () => {
      await blocker.profile.goto(blocked.username);
      await blocker.profile.openMore();
      await blocker.profile.blockButton(blocked.username).click();
      const confirm = blocker.profile.blockConfirmation(blocked.username);
      await expect(confirm).toContainText(`Block @${blocked.username}?`);
      await screenshots(blocker.page, "profile-more-block-confirm");
      // Cancel changes nothing.
      await confirm.getByRole("button", { name: "Cancel" }).click();
      await expect(confirm).toHaveCount(0);
      await expect(blocker.profile.relationLabel("Blocked")).toHaveCount(0);

      await blocker.profile.block(blocked.username);
      await blocker.page.reload();
      await expect(blocker.profile.relationLabel("Blocked")).toBeVisible();
      await expect(blocker.profile.followButton(blocked.username)).toHaveCount(0);
      await expect(blocker.profile.counts).toContainText("0 followers");
    });

    await test.step("the blocked user: 404 for the profile and the post, and no longer following", async () => {
      const profile = await page.goto(`/u/${blocker.user.username}`);
      expect(profile?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
      const post = await page.goto(`/p/${postId}`);
      expect(post?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
      await profilePage.goto(blocked.username);
      await expect(profilePage.counts).toContainText("0 following");
    });
  } finally {
    await blocker.context.close();
  }
});

/** Someone in a browser of their own, signed up and logged in, with page objects. */
async function person(browser: Browser, prefix: string) {
  const context = await browser.newContext();
  const user: TestUser = await signedUpUser(context.request, prefix);
  const page = await context.newPage();
  return {
    context,
    user,
    page,
    nav: new SiteNav(page),
    home: new HomePage(page),
    profile: new ProfilePage(page),
    thread: new ThreadPage(page),
    notifications: new NotificationsPage(page),
  };
}

const SHOTS_DIR = process.env.E2E_SHOTS_DIR;
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];

/** With E2E_SHOTS_DIR set: full-page screenshots at desktop and phone widths. */
async function screenshots(page: Page, name: string) {
  if (!SHOTS_DIR) return;
  const original = page.viewportSize();
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.screenshot({ path: `${SHOTS_DIR}/${name}-${viewport.name}.png`, fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
