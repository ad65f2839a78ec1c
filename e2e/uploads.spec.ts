// Uploads in the browser: an avatar from Settings shows on the user's posts; a post with an
// image and alt text shows the image to a logged-out reader; a file that is not an image
// gets a readable error.
import { expect, test } from "@playwright/test";
import { createAccount, logIn, newUser } from "./helpers";

// A 2×2 PNG (red, green / blue, white), so the test needs no image library.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAFElEQVQImWP4z8DAAMIM/////w8AH+4F+0HwQUsAAAAASUVORK5CYII=",
  "base64",
);

test("an avatar uploaded in Settings appears on the user's posts, and can be removed", async ({ page }) => {
  const user = newUser("face");
  await createAccount(page.request, user);
  await logIn(page.request, user);
  await page.goto("/settings");
  await page.getByLabel("Upload an avatar").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG });
  await expect(page.getByText("Avatar updated.")).toBeVisible();
  const avatar = page.getByRole("img", { name: "Your avatar" });
  await expect(avatar).toHaveAttribute("src", /^\/media\/avatars\/\d+\/[0-9a-f]{32}\.webp$/);
  const src = (await avatar.getAttribute("src"))!;

  const post = await page.request.post("/api/v1/posts", { data: { content: "look, a face" } });
  expect(post.status()).toBe(201);
  expect((await post.json()).author.avatarUrl).toBe(src);
  await page.goto(`/u/${user.username}`);
  await expect(page.locator(`img[src="${src}"]`).first()).toBeVisible();

  await page.goto("/settings");
  await page.getByRole("button", { name: "Remove avatar" }).click();
  await expect(page.getByText("Avatar removed.")).toBeVisible();
  expect((await page.request.get(src)).status()).toBe(404);
});

test("a post with an image and alt text; the image loads for a logged-out reader", async ({ page, browser }) => {
  const user = newUser("pics");
  await createAccount(page.request, user);
  await logIn(page.request, user);
  await page.goto("/");
  await page.getByLabel("Add images").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("Alt text for image 1").fill("four coloured squares");
  await page.getByLabel("New post").fill("my first picture");
  await page.getByRole("button", { name: "Post", exact: true }).click();
  await expect(page.getByText("Posted.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Images to post" })).toHaveCount(0);

  const posts = await (await page.request.get(`/api/v1/users/${user.username}/posts`)).json();
  const media = posts.items[0].media;
  expect(media).toEqual([expect.objectContaining({ width: 2, height: 2, altText: "four coloured squares" })]);

  const visitor = await browser.newContext();
  const res = await visitor.request.get(media[0].url);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/webp");
  expect(res.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  await visitor.close();
});

test("a file that is not an image gets a readable error and posts nothing", async ({ page }) => {
  const user = newUser("oops");
  await createAccount(page.request, user);
  await logIn(page.request, user);
  await page.goto("/settings");
  await page.getByLabel("Upload an avatar").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not an image at all") });
  await expect(page.getByText("The file is not an image Starling can read: upload a PNG, JPEG, WebP or GIF.")).toBeVisible();
});
