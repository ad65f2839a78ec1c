import { expect, type Page } from "@playwright/test";
import { PostCard } from "./profile-page";

/** /p/{id}: the reply chain above the post, the post, the reply box, then its replies. */
export class ThreadPage {
  constructor(private readonly page: Page) {}

  async goto(postId: string) {
    return this.page.goto(`/p/${postId}`);
  }

  /** The posts above this one, root first. */
  get context() {
    return this.page.getByRole("region", { name: "Earlier in the thread" });
  }
  get replies() {
    return this.page.getByRole("region", { name: "Replies" });
  }
  get replyCards() {
    return this.replies.getByRole("article");
  }
  reply(text: string): PostCard {
    return new PostCard(this.replyCards.filter({ hasText: text }));
  }
  /** A post anywhere on the page: above, the post itself, or a reply. */
  post(text: string): PostCard {
    return new PostCard(this.page.getByRole("main").getByRole("article").filter({ hasText: text }));
  }

  get replyField() {
    return this.page.getByLabel("Your reply");
  }
  get replyButton() {
    return this.page.getByRole("button", { name: "Reply", exact: true });
  }

  /** Writes and sends a reply, and waits for the box to confirm it. */
  async sendReply(text: string) {
    await this.replyField.fill(text);
    await this.replyButton.click();
    await expect(this.page.getByText("Replied.")).toBeVisible();
    await expect(this.replyField).toHaveValue("");
  }
}
