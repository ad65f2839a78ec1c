import { expect, type Locator, type Page } from "@playwright/test";

export class ProfilePage {
  constructor(private readonly page: Page) {}

  async goto(username: string) {
    await this.page.goto(`/u/${username}`);
  }

  get heading() {
    return this.page.getByRole("heading", { level: 1 });
  }
  get posts() {
    return this.page.getByRole("article");
  }
  get counts() {
    return this.page.getByRole("list", { name: "Counts" });
  }
  followButton(username: string) {
    return this.page.getByRole("button", { name: `Follow @${username}`, exact: true });
  }
  unfollowButton(username: string) {
    return this.page.getByRole("button", { name: `Unfollow @${username}`, exact: true });
  }
  get loadMoreButton() {
    return this.page.getByRole("button", { name: "Load more" });
  }

  post(text: string): PostCard {
    return new PostCard(this.posts.filter({ hasText: text }));
  }
}

/** One post's card, wherever it is shown. */
export class PostCard {
  constructor(readonly root: Locator) {}

  get likeButton() {
    return this.root.getByRole("button", { name: "Like", exact: true });
  }
  get unlikeButton() {
    return this.root.getByRole("button", { name: "Unlike", exact: true });
  }
  likeCount(n: number) {
    return this.root.getByText(`${n} ${n === 1 ? "like" : "likes"}`, { exact: true });
  }

  /** Clicks Like and waits for the server to answer (the new count shows before that). */
  async like() {
    await settled(this.likeButton);
  }
  async unlike() {
    await settled(this.unlikeButton);
  }

  async delete() {
    await this.root.getByRole("button", { name: "Delete" }).click();
    await this.root.getByRole("group", { name: "Confirm deletion" }).getByRole("button", { name: "Yes, delete" }).click();
    await expect(this.root).toHaveCount(0);
  }
}

/** Clicks, then waits for the server action the click started to be answered. */
async function settled(button: Locator) {
  const answered = button.page().waitForResponse((res) => res.request().method() === "POST" && "next-action" in res.request().headers());
  await button.click();
  await answered;
}
