import { expect, type Page } from "@playwright/test";

/** /admin: user search, flagging superstars, the superstar list and the fan-out stats. */
export class AdminPage {
  constructor(private readonly page: Page) {}

  async goto(search = "") {
    await this.page.goto(`/admin${search}`);
  }

  get heading() {
    return this.page.getByRole("heading", { level: 1 });
  }
  get navLink() {
    return this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" });
  }
  get searchField() {
    return this.page.getByRole("search", { name: "Users" }).getByLabel("Search users");
  }
  get searchResults() {
    return this.page.getByRole("region", { name: "Search results" });
  }
  get superstars() {
    return this.page.getByRole("region", { name: "Superstars" });
  }
  get fanout() {
    return this.page.getByRole("region", { name: "Fan-out lag" });
  }

  async search(query: string) {
    await this.searchField.fill(query);
    await this.page.getByRole("search", { name: "Users" }).getByRole("button", { name: "Search" }).click();
  }

  /** The row of `username` in the search results. */
  result(username: string) {
    return this.searchResults.getByRole("listitem").filter({ hasText: `@${username}` });
  }
  /** The row of `username` in the superstar list. */
  superstar(username: string) {
    return this.superstars.getByRole("listitem").filter({ hasText: `@${username}` });
  }

  /** Flags `username` from the search results, confirming, and waits for the badge. */
  async flag(username: string) {
    const row = this.result(username);
    await row.getByRole("button", { name: `Flag as superstar @${username}` }).click();
    await row.getByRole("group", { name: `Confirm flagging @${username}` }).getByRole("button", { name: "Yes, flag" }).click();
    await expect(row.getByText("Superstar", { exact: true })).toBeVisible();
  }
}
