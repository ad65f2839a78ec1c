// `test` with the page objects ready to use.
import { test as base } from "@playwright/test";
import { AdminPage } from "./pages/admin-page";
import { LoginPage, RegisterPage } from "./pages/auth-pages";
import { HomePage } from "./pages/home-page";
import { ProfilePage } from "./pages/profile-page";
import { SettingsPage } from "./pages/settings-page";
import { SiteNav } from "./pages/site-nav";

interface Pages {
  nav: SiteNav;
  registerPage: RegisterPage;
  loginPage: LoginPage;
  homePage: HomePage;
  profilePage: ProfilePage;
  settingsPage: SettingsPage;
  adminPage: AdminPage;
}

export const test = base.extend<Pages>({
  nav: async ({ page }, provide) => provide(new SiteNav(page)),
  registerPage: async ({ page }, provide) => provide(new RegisterPage(page)),
  loginPage: async ({ page }, provide) => provide(new LoginPage(page)),
  homePage: async ({ page }, provide) => provide(new HomePage(page)),
  profilePage: async ({ page }, provide) => provide(new ProfilePage(page)),
  settingsPage: async ({ page }, provide) => provide(new SettingsPage(page)),
  adminPage: async ({ page }, provide) => provide(new AdminPage(page)),
});

export { expect } from "@playwright/test";
