// A profile shows the newest 20 posts from the server and fetches older ones as the
// reader scrolls (or clicks "Load more" where scrolling cannot trigger it).
import { expect, test } from "./fixtures";
import { createPost, signedUpUser } from "./helpers";

const TOTAL = 25;

test("scrolling to the end of a profile loads the older posts", async ({ page, request, profilePage }) => {
  const author = await signedUpUser(request, "scroller");
  for (let i = 1; i <= TOTAL; i++) await createPost(request, `Numbered post #${i}.`);

  await profilePage.goto(author.username);
  await expect(profilePage.posts).toHaveCount(20);
  await expect(profilePage.posts.first()).toContainText(`Numbered post #${TOTAL}.`);
  await expect(profilePage.posts.last()).toContainText("Numbered post #6.");

  await profilePage.posts.last().scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 5000);
  await expect(profilePage.posts).toHaveCount(TOTAL);
  await expect(profilePage.posts.last()).toContainText("Numbered post #1.");
  await expect(page.getByText("That's everything.")).toBeVisible();
  await expect(profilePage.loadMoreButton).toHaveCount(0);
});

test("without IntersectionObserver, Load more fetches the older posts", async ({ page, request, profilePage }) => {
  const author = await signedUpUser(request, "loadmore");
  for (let i = 1; i <= TOTAL; i++) await createPost(request, `Button post #${i}.`);

  await page.addInitScript(() => {
    // @ts-expect-error simulating a browser without the API
    delete window.IntersectionObserver;
  });
  await profilePage.goto(author.username);
  await expect(profilePage.posts).toHaveCount(20);
  await profilePage.loadMoreButton.click();
  await expect(profilePage.posts).toHaveCount(TOTAL);
  await expect(profilePage.posts.last()).toContainText("Button post #1.");
  await expect(profilePage.loadMoreButton).toHaveCount(0);
});
