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

  /** "More" under the counts: show reposts, mute and block (only on others' profiles). */
  get moreToggle() {
    return this.page.getByRole("main").getByText("More", { exact: true });
  }
  async openMore() {
    await this.moreToggle.click();
    await expect(this.page.getByRole("button", { name: /^(Block|Unblock) @/ })).toBeVisible();
  }
  /** The "Muted" / "Blocked" label under the name. */
  relationLabel(text: "Muted" | "Blocked") {
    return this.page.getByRole("main").getByText(text, { exact: true });
  }
  muteButton(username: string) {
    return this.page.getByRole("button", { name: `Mute @${username}`, exact: true });
  }
  unmuteButton(username: string) {
    return this.page.getByRole("button", { name: `Unmute @${username}`, exact: true });
  }
  blockButton(username: string) {
    return this.page.getByRole("button", { name: `Block @${username}`, exact: true });
  }
  unblockButton(username: string) {
    return this.page.getByRole("button", { name: `Unblock @${username}`, exact: true });
  }
  showRepostsSwitch(username: string) {
    return this.page.getByRole("switch", { name: `Show reposts from @${username} in your home feed` });
  }

  /** Mutes from "More" and waits for the profile to say so. */
  async mute(username: string) {
    await this.muteButton(username).click();
    await expect(this.unmuteButton(username)).toBeVisible();
    await expect(this.relationLabel("Muted")).toBeVisible();
  }

  /** Blocks from "More": asks first, then the profile says so. */
  async block(username: string) {
    await this.blockButton(username).click();
    await this.blockConfirmation(username).getByRole("button", { name: "Yes, block" }).click();
    await expect(this.unblockButton(username)).toBeVisible();
    await expect(this.relationLabel("Blocked")).toBeVisible();
  }
  blockConfirmation(username: string) {
    return this.page.getByRole("group", { name: `Confirm blocking @${username}` });
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

  /** The ↻ button: pressed once this viewer reposted the post. */
  get repostButton() {
    return this.root.getByRole("button", { name: "Repost", exact: true });
  }
  repostCount(n: number) {
    return this.root.getByText(`${n} ${n === 1 ? "repost" : "reposts"}`, { exact: true });
  }
  /** Clicks Repost and waits for the server to answer (the button shows pressed before that). */
  async repost() {
    await settled(this.repostButton);
  }
  get replyLink() {
    return this.root.getByRole("link", { name: "Reply", exact: true });
  }
  replyCount(n: number) {
    return this.root.getByText(`${n} ${n === 1 ? "reply" : "replies"}`, { exact: true });
  }
  /** The "↻ Ana reposted" line above a post that is in a feed because someone reposted it. */
  repostedBy(displayName: string) {
    return this.root.getByText(new RegExp(`^\\W*${escapeRegExp(displayName)} reposted$`));
  }
  /** "Replying to @ana" above a reply's text. */
  replyingTo(username: string) {
    return this.root.getByText(`Replying to @${username}`, { exact: true });
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
