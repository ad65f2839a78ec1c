import { expect, type Page } from "@playwright/test";

/** The logged-in home page: the compose box. */
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
}
