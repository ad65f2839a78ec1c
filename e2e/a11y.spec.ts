// Accessibility: an axe scan (WCAG 2.1 A and AA rules) of the main pages, in the light and
// the dark theme, fails on any serious or critical violation and prints them all. Beside it,
// the pieces of the look that a scan cannot judge: the skip link, the theme button, the
// icons, and the Open Graph tags of a shared post.
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createPost, follow, signedUpUser, type TestUser } from "./helpers";

const THEMES = ["light", "dark"] as const;

/** Pages that may not exist yet in every checkout are scanned only when they answer. */
const OPTIONAL = new Set(["/explore"]);

interface World {
  viewer: TestUser;
  author: TestUser;
  postId: string;
}

/** A viewer who follows an author with a post and a live session, and has notifications. */
async function makeWorld(browser: Browser, page: Page): Promise<World> {
  const viewer = await signedUpUser(page.request, "reader");
  const authorContext = await browser.newContext();
  try {
    const author = await signedUpUser(authorContext.request, "writer");
    const { id: postId } = await createPost(authorContext.request, `A post to read, by ${author.displayName}`);
    await follow(page.request, author.username);
    await follow(authorContext.request, viewer.username);
    await createPost(page.request, `Hello @${author.username}, a mention from the viewer`);
    await like(page.request, postId);
    await startLive(authorContext.request, `Live now ${author.username}`);
    return { viewer, author, postId };
  } finally {
    await authorContext.close();
  }
}

async function like(request: APIRequestContext, postId: string) {
  const res = await request.post(`/api/v1/posts/${postId}/like`);
  expect(res.status(), await res.text()).toBe(200);
}

async function startLive(request: APIRequestContext, title: string) {
  const scheduledAt = new Date(Date.now() + 10 * 60_000).toISOString();
  const res = await request.post("/api/v1/live", { data: { title, scheduledAt } });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  expect((await request.post(`/api/v1/live/${id}/start`)).status()).toBe(200);
}

type Finding = { path: string; id: string; impact: string; help: string; targets: string[] };

/** Serious and critical violations on `path` (null when an optional page does not exist). */
async function scan(page: Page, path: string): Promise<Finding[] | null> {
  const response = await page.goto(path);
  if (OPTIONAL.has(path) && response?.status() === 404) return null;
  expect(response?.status(), `${path} answers`).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ path, id: v.id, impact: v.impact!, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}

function report(findings: Finding[]): string {
  return findings.map((f) => `${f.path} [${f.impact}] ${f.id}: ${f.help}\n    ${f.targets.slice(0, 5).join("\n    ")}`).join("\n");
}

for (const theme of THEMES) {
  test(`the main pages have no serious or critical accessibility violations (${theme} theme)`, async ({ browser, page }) => {
    test.setTimeout(180_000);
    const findings: Finding[] = [];
    const scanned: string[] = [];

    const guest = await browser.newContext({ colorScheme: theme });
    try {
      const guestPage = await guest.newPage();
      for (const path of ["/", "/login", "/register"]) {
        const found = await scan(guestPage, path);
        if (!found) continue;
        findings.push(...found);
        scanned.push(`${path} (logged out)`);
      }
    } finally {
      await guest.close();
    }

    await page.emulateMedia({ colorScheme: theme });
    const world = await makeWorld(browser, page);
    const paths = ["/", "/explore", `/u/${world.author.username}`, `/p/${world.postId}`, "/notifications", "/live", "/settings"];
    for (const path of paths) {
      const found = await scan(page, path);
      if (!found) continue;
      findings.push(...found);
      scanned.push(path);
    }

    console.log(`axe (${theme}): scanned ${scanned.join(", ")}: ${findings.length} serious/critical\n${report(findings)}`);
    expect(findings, report(findings)).toEqual([]);
  });
}

test("the skip link is the first stop for the keyboard and moves to the main content", async ({ page }) => {
  await page.goto("/login");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  // The next Tab lands inside <main>, past the header.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main#main")))).toBe(true);
});

test("the theme button cycles System, Light, Dark and the choice survives a reload without a flash", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/login");
  const html = page.locator("html");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const lightBackground = await background();
  await expect(html).not.toHaveAttribute("data-theme");

  await page.getByRole("button", { name: /^Theme: System/ }).click();
  await expect(html).toHaveAttribute("data-theme", "light");
  await page.getByRole("button", { name: /^Theme: Light/ }).click();
  await expect(html).toHaveAttribute("data-theme", "dark");
  expect(await background()).not.toBe(lightBackground);

  // Applied by the head script, before any React code runs.
  await page.route("**/_next/static/**/*.js", (route) => route.abort());
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  expect(await background()).not.toBe(lightBackground);
  await page.unroute("**/_next/static/**/*.js");

  await page.reload();
  await page.getByRole("button", { name: /^Theme: Dark/ }).click();
  await expect(html).not.toHaveAttribute("data-theme");
  expect(await background()).toBe(lightBackground);
});

test("the icons and the web manifest are served", async ({ request, page }) => {
  for (const path of ["/favicon.ico", "/icon.svg", "/apple-touch-icon.png", "/manifest.webmanifest"]) {
    expect((await request.get(path)).status(), path).toBe(200);
  }
  await page.goto("/login");
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", /apple-touch-icon\.png/);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", /manifest\.webmanifest/);
});

test("a post's and a profile's pages carry Open Graph and Twitter card tags", async ({ page }) => {
  const author = await signedUpUser(page.request, "sharer");
  const content = `Something worth sharing from ${author.username}`;
  const { id } = await createPost(page.request, content);
  const meta = (property: string) => page.locator(`meta[property="${property}"], meta[name="${property}"]`).first();

  await page.goto(`/p/${id}`);
  await expect(meta("og:type")).toHaveAttribute("content", "article");
  await expect(meta("og:title")).toHaveAttribute("content", new RegExp(author.displayName));
  await expect(meta("og:description")).toHaveAttribute("content", content);
  await expect(meta("twitter:card")).toHaveAttribute("content", "summary");

  await page.goto(`/u/${author.username}`);
  await expect(meta("og:type")).toHaveAttribute("content", "profile");
  await expect(meta("og:title")).toHaveAttribute("content", `${author.displayName} (@${author.username})`);
  await expect(meta("twitter:title")).toHaveAttribute("content", `${author.displayName} (@${author.username})`);
});
