import { expect, type Page } from "@playwright/test";
import { PostCard } from "./profile-page";

/** The logged-in home page: the compose box, then the home feed. */
export class HomePage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/");
  }

  get content() {
    return this.page.getByLabel("New post");
  }
  get counter() {
    return this.page.locator("#compose-counter");
  }
  get postButton() {
    return this.page.getByRole("button", { name: "Post", exact: true });
  }

  async post(text: string) {
    await this.content.fill(text);
    await this.postButton.click();
    await expect(this.page.getByText("Posted.")).toBeVisible();
    await expect(this.content).toHaveValue("");
  }

  get feed() {
    return this.page.getByRole("region", { name: "Your feed" });
  }
  get posts() {
    return this.feed.getByRole("article");
  }
  postCard(text: string): PostCard {
    return new PostCard(this.posts.filter({ hasText: text }));
  }
  get emptyState() {
    return this.feed.getByText("Your feed is empty. Follow people to see their posts here.");
  }
  get newPostsButton() {
    return this.feed.getByRole("button", { name: /new posts?$/ });
  }
  get loadMoreButton() {
    return this.feed.getByRole("button", { name: "Load more" });
  }

  /**
   * Waits for the "N new posts" button. The page asks the server every ~15 s, and at once
   * when the tab becomes visible again: this plays the reader coming back to the tab.
   */
  async waitForNewPosts(timeout = 30_000) {
    await expect(async () => {
      await this.page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
      await expect(this.newPostsButton).toBeVisible({ timeout: 1_500 });
    }).toPass({ timeout });
  }

  /** Clicks "N new posts" and waits for the newest posts to be shown. */
  async showNewPosts() {
    await this.newPostsButton.click();
    await expect(this.newPostsButton).toHaveCount(0);
  }

  /** Reloads until `check` passes: posts reach feeds asynchronously (fan-out), within seconds. */
  async reloadUntil(check: () => Promise<void>, timeout = 30_000) {
    await expect(async () => {
      await this.page.reload();
      await expect(this.feed).toBeVisible({ timeout: 1_000 });
      await check();
    }).toPass({ timeout, intervals: [250, 500, 1_000, 2_000] });
  }
}
