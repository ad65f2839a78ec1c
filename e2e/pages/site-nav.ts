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
}
