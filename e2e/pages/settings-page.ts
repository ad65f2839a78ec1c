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

  get passwordForm() {
    return this.page.getByRole("form", { name: "Change password" });
  }

  async changePassword(values: { current: string; next: string; confirm?: string }) {
    const form = this.passwordForm;
    await form.getByLabel("Current password").fill(values.current);
    await form.getByLabel("New password", { exact: true }).fill(values.next);
    await form.getByLabel("Confirm new password").fill(values.confirm ?? values.next);
    await form.getByRole("button", { name: "Change password" }).click();
  }

  get passwordChanged() {
    return this.page.getByText("Password changed.", { exact: true });
  }

  async signOutEverywhere() {
    await this.page.getByRole("button", { name: "Sign out everywhere" }).click();
  }
}
