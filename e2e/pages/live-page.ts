import { expect, type Locator, type Page } from "@playwright/test";

type Group = "Live now" | "Upcoming" | "Replays";

/** The Live tab: live sessions of the hosts one follows, then upcoming ones, then replays. */
export class LivePage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/live");
  }

  get heading() {
    return this.page.getByRole("heading", { level: 1, name: "Live" });
  }
  /** Every session card, in the order shown. */
  get cards() {
    return this.page.getByRole("main").getByRole("article");
  }
  /** "Live now", "Upcoming" or "Replays". */
  group(name: Group) {
    return this.page.getByRole("region", { name, exact: true });
  }
  card(title: string): SessionCard {
    return new SessionCard(this.cards.filter({ has: this.page.getByRole("heading", { name: title, exact: true }) }));
  }
  get emptyState() {
    return this.page.getByText("Nothing live right now.");
  }

  /** Reloads until `check` passes: a session's state reaches followers' feeds within seconds. */
  async reloadUntil(check: () => Promise<void>, timeout = 30_000) {
    await expect(async () => {
      await this.page.reload();
      await expect(this.heading).toBeVisible({ timeout: 1_000 });
      await check();
    }).toPass({ timeout, intervals: [250, 500, 1_000, 2_000] });
  }
}

/** The "Live" section of one's own profile: the schedule form and one's sessions with their controls. */
export class HostLivePanel {
  constructor(private readonly page: Page) {}

  async goto(username: string) {
    await this.page.goto(`/u/${username}`);
  }

  get section() {
    return this.page.getByRole("region", { name: "Live", exact: true });
  }
  get titleInput() {
    return this.section.getByLabel("Title");
  }
  get whenInput() {
    return this.section.getByLabel("Date and time");
  }

  /** A local date and time `minutesAhead` from now, as a datetime-local input takes it, and its ISO UTC moment (both in the browser's time zone). */
  async localTimeAhead(minutesAhead: number): Promise<{ local: string; iso: string }> {
    return this.page.evaluate((minutes) => {
      const d = new Date(Date.now() + minutes * 60_000);
      d.setSeconds(0, 0);
      const pad = (n: number) => String(n).padStart(2, "0");
      return { local: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`, iso: d.toISOString() };
    }, minutesAhead);
  }

  async schedule(title: string, local: string) {
    await this.titleInput.fill(title);
    await this.whenInput.fill(local);
    await this.section.getByRole("button", { name: "Schedule", exact: true }).click();
    await expect(this.section.getByText("Scheduled.")).toBeVisible();
  }

  card(title: string): SessionCard {
    return new SessionCard(this.section.getByRole("article").filter({ has: this.page.getByRole("heading", { name: title, exact: true }) }));
  }
}

export class SessionCard {
  constructor(readonly root: Locator) {}

  /** The card's accessible name says its state: "Live now: …", "Upcoming: …", "Replay: …". */
  async expectState(state: "Live now" | "Upcoming" | "Replay") {
    await expect(this.root).toHaveAccessibleName(new RegExp(`^${state}: `));
  }
  get liveBadge() {
    return this.root.locator(".live-badge");
  }
  get time() {
    return this.root.locator("time");
  }
  button(name: RegExp) {
    return this.root.getByRole("button", { name });
  }

  async start() {
    await this.button(/^Start now/).click();
  }
  async end() {
    await this.button(/^End session/).click();
    await this.root.getByRole("button", { name: "Yes, end it" }).click();
  }
  async cancel() {
    await this.button(/^Cancel session/).click();
    await this.root.getByRole("button", { name: "Yes, cancel it" }).click();
  }
}
