// Live sessions (issue 5): a host schedules and starts a session on their profile; a
// follower's Live tab shows it live at the top; once the host ends it, the follower finds
// it among the replays. Hosts' sessions reach followers asynchronously, so every "it shows
// up" reloads until it does, with a generous timeout.
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { follow, signedUpUser } from "./helpers";
import { HostLivePanel, LivePage } from "./pages/live-page";

/** Delivery targets seconds; this leaves room for a busy test machine. */
const DELIVERY_TIMEOUT = 30_000;

/** Matches a card's text that contains `text`. */
function containing(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
}

async function apiSession(request: APIRequestContext, title: string, minutesAhead: number): Promise<string> {
  const scheduledAt = new Date(Date.now() + minutesAhead * 60_000).toISOString();
  const res = await request.post("/api/v1/live", { data: { title, scheduledAt } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function apiTransition(request: APIRequestContext, id: string, to: "start" | "end"): Promise<void> {
  const res = await request.post(`/api/v1/live/${id}/${to}`);
  expect(res.status(), await res.text()).toBe(200);
}

test("logged out, the Live tab asks to log in", async ({ page }) => {
  await page.goto("/live");
  await expect(page).toHaveURL(/\/login/);
});

test("a host schedules and starts a session: a follower sees it live on top, then among the replays once it ends", async ({
  browser,
  page,
  nav,
}) => {
  test.setTimeout(150_000);
  await signedUpUser(page.request, "fan");
  const livePage = new LivePage(page);
  const hostContext = await browser.newContext();
  const otherContext = await browser.newContext();
  try {
    const host = await signedUpUser(hostContext.request, "host");
    const panel = new HostLivePanel(await hostContext.newPage());
    // Another followed host with an older replay and a later upcoming session, so "on top"
    // and "among the replays" mean something.
    const other = await signedUpUser(otherContext.request, "other");
    const oldReplay = `Earlier replay ${other.username}`;
    const later = `Later upcoming ${other.username}`;
    const oldId = await apiSession(otherContext.request, oldReplay, 5);
    await apiTransition(otherContext.request, oldId, "start");
    await apiTransition(otherContext.request, oldId, "end");
    await apiSession(otherContext.request, later, 24 * 60);
    await follow(page.request, host.username);
    await follow(page.request, other.username);
    const title = `Ask me anything ${host.username}`;

    await test.step("the host schedules a session on their profile; its start is kept in UTC", async () => {
      await panel.goto(host.username);
      const when = await panel.localTimeAhead(90);
      await panel.schedule(title, when.local);
      const card = panel.card(title);
      await card.expectState("Upcoming");
      await expect(card.time).toHaveAttribute("datetime", when.iso);
      await expect(card.time).toContainText("Starts");
    });

    await test.step("the follower's Live tab shows it among the upcoming sessions, soonest first", async () => {
      await page.goto("/");
      await nav.nav.getByRole("link", { name: "Live", exact: true }).click();
      await expect(livePage.heading).toBeVisible();
      await livePage.reloadUntil(async () => {
        await expect(livePage.group("Upcoming").getByRole("article")).toHaveText([containing(title), containing(later)], { timeout: 1_000 });
      }, DELIVERY_TIMEOUT);
    });

    await test.step("the host starts it; the follower sees it live at the top", async () => {
      await panel.card(title).start();
      await panel.card(title).expectState("Live now");
      await expect(panel.card(title).liveBadge).toBeVisible();

      await livePage.reloadUntil(async () => {
        await expect(livePage.cards.first()).toHaveAccessibleName(`Live now: ${title}`, { timeout: 1_000 });
      }, DELIVERY_TIMEOUT);
      const card = livePage.card(title);
      await expect(card.liveBadge).toHaveText(/live/i);
      await expect(card.root).toContainText(/live for (less than a minute|\d+ min)/);
      await expect(card.root).toContainText(`@${host.username}`);
      await expect(livePage.group("Live now").getByRole("article")).toHaveCount(1);
    });

    await test.step("the host ends it; after refreshing, the follower finds it among the replays, newest first", async () => {
      await panel.card(title).end();
      await panel.card(title).expectState("Replay");
      await expect(panel.card(title).button(/^(Start|End|Cancel)/)).toHaveCount(0);

      await livePage.reloadUntil(async () => {
        await expect(livePage.group("Replays").getByRole("article")).toHaveText([containing(title), containing(oldReplay)], { timeout: 1_000 });
      }, DELIVERY_TIMEOUT);
      await expect(livePage.group("Live now")).toHaveCount(0);
      await expect(livePage.card(title).root).toContainText("Ended");
    });

    await test.step("the follower was notified when the host went live", async () => {
      await expect(async () => {
        await page.goto("/notifications");
        await expect(page.getByRole("article", { name: new RegExp(`^${host.displayName} (is|was|went) live`) })).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: DELIVERY_TIMEOUT });
    });
  } finally {
    await hostContext.close();
    await otherContext.close();
  }
});

test("a host can cancel an upcoming session: it leaves their profile", async ({ page }) => {
  const host = await signedUpUser(page.request, "canceller");
  const panel = new HostLivePanel(page);
  const title = `Maybe later ${host.username}`;
  await panel.goto(host.username);
  const when = await panel.localTimeAhead(60);
  await panel.schedule(title, when.local);
  await panel.card(title).expectState("Upcoming");
  await panel.card(title).cancel();
  await expect(panel.card(title).root).toHaveCount(0);
  await expect(panel.section.getByText("You have no live sessions yet.")).toBeVisible();
});

test("scheduling in the past is refused with the server's message beside the field", async ({ page }) => {
  const host = await signedUpUser(page.request, "late");
  const panel = new HostLivePanel(page);
  await panel.goto(host.username);
  const when = await panel.localTimeAhead(-60);
  await panel.titleInput.fill("Too late");
  await panel.whenInput.fill(when.local);
  await panel.section.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(panel.whenInput).toHaveAttribute("aria-invalid", "true");
  await expect(panel.section.getByRole("article")).toHaveCount(0);
  // What was typed stays, to be corrected.
  await expect(panel.titleInput).toHaveValue("Too late");
});
