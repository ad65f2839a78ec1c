import { expect, test } from "@playwright/test";

test("the home page says what Starling is", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Starling" })).toBeVisible();
  await expect(page.getByText("open-source social news feed")).toBeVisible();
  await expect(page.getByRole("link", { name: "Starling" })).toHaveAttribute("href", "/");
});

test("health reports all three services up", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({
    status: "ok",
    down: [],
    services: { postgres: { ok: true }, redis: { ok: true }, inngest: { ok: true } },
  });
});
