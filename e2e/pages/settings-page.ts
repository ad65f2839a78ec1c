import type { Page } from "@playwright/test";

export class SettingsPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/settings");
  }

  get displayName() {
    return this.page.getByLabel("Display name");
  }
  get bio() {
    return this.page.getByLabel("Bio");
  }

  async save(values: { displayName?: string; bio?: string }) {
    if (values.displayName !== undefined) await this.displayName.fill(values.displayName);
    if (values.bio !== undefined) await this.bio.fill(values.bio);
    await this.page.getByRole("button", { name: "Save" }).click();
  }

  get saved() {
    return this.page.getByText("Saved.", { exact: true });
  }
}
