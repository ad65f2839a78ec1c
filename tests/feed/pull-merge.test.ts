// The honest pull (FEED_MODEL=pull-merge: one index walk per followee, merged) against the
// textbook pull (FEED_MODEL=pull) and the feed's rules in SQL, on a small random world:
// the benchmarks compare the two as the same feed read two ways, so page by page, at
// several page sizes, they must list the same items. (The model-based test runs with any
// FEED_MODEL too: `FEED_MODEL=pull-merge npx vitest run tests/feed/model.test.ts`.)
import { expect, it, vi } from "vitest";
import { flagSuperstar } from "@/lib/admin/superstars";
import { followUser } from "@/lib/follows/follow";
import { createPost } from "@/lib/posts/create-post";
import { repostPost } from "@/lib/reactions/reposts";
import { setShowReposts } from "@/lib/relationships/show-reposts";
import { makeUsers } from "../support/fixtures";
import { prng } from "../support/prng";
import { feedEngineForFile, groundTruth, withEnv } from "./support/engine";
import { readWholeFeed } from "./support/read";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();

it("pages the same feed as the textbook pull and the SQL rules, for every reader of a random world", { timeout: 120_000 }, async () => {
  const rnd = prng(20261202);
  const users = await makeUsers(7, "pm");
  await flagSuperstar({ username: users[0]!.username });
  for (const u of users) {
    for (const v of users) if (u !== v && rnd.next() < 0.5) await followUser({ followerId: u.id, username: v.username });
  }
  const posts: string[] = [];
  for (let i = 0; i < 40; i++) {
    const author = rnd.pick(users);
    const replyToId = posts.length > 0 && rnd.next() < 0.3 ? rnd.pick(posts) : undefined;
    posts.push((await createPost({ authorId: author.id, content: `post ${i}`, replyToId })).id);
    if (rnd.next() < 0.4) await repostPost({ userId: rnd.pick(users).id, postId: rnd.pick(posts) }).catch(() => {}); // own post or a repeat: refused, fine
  }
  // Someone who does not take one followee's reposts.
  const [reader, followee] = [users[1]!, users[2]!];
  await followUser({ followerId: reader.id, username: followee.username }).catch(() => {});
  await setShowReposts({ followerId: reader.id, username: followee.username, showReposts: false });
  await engine.settle();

  let compared = 0;
  for (const u of users) {
    const truth = await groundTruth(u.id);
    for (const limit of [1, 3, 7]) {
      const merged = await withEnv({ FEED_MODEL: "pull-merge" }, () => readWholeFeed(u.id, limit));
      const textbook = await withEnv({ FEED_MODEL: "pull" }, () => readWholeFeed(u.id, limit));
      expect(merged, `${u.username}, pages of ${limit}`).toEqual(textbook);
      expect(merged).toEqual(truth);
      compared += merged.length;
    }
  }
  expect(compared).toBeGreaterThan(100); // the world is not empty
});
