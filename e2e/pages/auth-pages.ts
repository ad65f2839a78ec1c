import type { Page } from "@playwright/test";
import type { TestUser } from "../helpers";

export class RegisterPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/register");
  }

  async register(user: Partial<TestUser>) {
    const form = this.page.getByRole("main");
    if (user.username !== undefined) await form.getByLabel("Username").fill(user.username);
    if (user.displayName !== undefined) await form.getByLabel("Display name").fill(user.displayName);
    if (user.email !== undefined) await form.getByLabel("Email").fill(user.email);
    if (user.password !== undefined) await form.getByLabel("Password").fill(user.password);
    await form.getByRole("button", { name: "Create account" }).click();
  }

  fieldError(text: string | RegExp) {
    return this.page.getByRole("main").getByText(text);
  }
}

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/login");
  }

  get email() {
    return this.page.getByRole("main").getByLabel("Email");
  }

  get alert() {
    return this.page.getByRole("main").getByRole("alert");
  }

  async logIn(email: string, password: string) {
    const main = this.page.getByRole("main");
    await this.email.fill(email);
    await main.getByLabel("Password").fill(password);
    await main.getByRole("button", { name: "Log in" }).click();
  }
}
