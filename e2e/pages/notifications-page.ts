import type { Page } from "@playwright/test";

/** /notifications: one line per notification (or group of them), newest first. */
export class NotificationsPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/notifications");
  }

  get heading() {
    return this.page.getByRole("heading", { level: 1 });
  }
  /** The line named like "Ana Lee replied to your post" (its name says who did what). */
  item(name: string) {
    return this.page.getByRole("main").getByRole("article", { name, exact: true });
  }
  get emptyState() {
    return this.page.getByText("No notifications yet.");
  }
}
