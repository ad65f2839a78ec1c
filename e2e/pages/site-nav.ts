import { expect, type Page } from "@playwright/test";

/** The header every page has: who is logged in, and logging out. */
export class SiteNav {
  constructor(private readonly page: Page) {}

  get nav() {
    return this.page.getByRole("navigation", { name: "Main" });
  }
  get profileLink() {
    return this.nav.getByRole("link", { name: "Profile" });
  }
  get settingsLink() {
    return this.nav.getByRole("link", { name: "Settings" });
  }
  get logOutButton() {
    return this.nav.getByRole("button", { name: "Log out" });
  }
  get logInLink() {
    return this.nav.getByRole("link", { name: "Log in" });
  }

  async expectLoggedInAs(username: string) {
    await expect(this.logOutButton).toBeVisible();
    await expect(this.profileLink).toHaveAttribute("href", `/u/${username}`);
  }

  async logOut() {
    await this.logOutButton.click();
    await expect(this.logInLink).toBeVisible();
  }

  /** "Notifications", with the unread count in its name ("Notifications, 2 unread"). */
  get notificationsLink() {
    return this.nav.getByRole("link", { name: /^Notifications/ });
  }

  /** The badge shows `count` unread notifications (0: no badge). */
  async expectUnread(count: number, timeout?: number) {
    if (count === 0) await expect(this.notificationsLink).toHaveAccessibleName("Notifications", { timeout });
    else await expect(this.notificationsLink).toHaveAccessibleName(new RegExp(`^Notifications\\s*,?\\s*${count} unread$`), { timeout });
  }

  /**
   * Waits until the badge shows `count`. It asks the server every ~30 s and at once when
   * the window gets the focus back: this plays the reader coming back to the window.
   */
  async waitForUnread(count: number, timeout = 30_000) {
    await expect(async () => {
      await this.page.evaluate(() => window.dispatchEvent(new Event("focus")));
      await this.expectUnread(count, 1_500);
    }).toPass({ timeout });
  }
}
