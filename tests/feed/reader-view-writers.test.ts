// The writers invalidate the reader views they change right after their commit
// (lib/feed/reader-view.ts), so the reader's very next read sees the change. No Inngest
// runs in this file: the events stay undelivered, and the handlers' own invalidation
// (reader-view.test.ts) cannot stand in for the writers'.
import { describe, expect, it, vi } from "vitest";
import { flagSuperstar } from "@/lib/admin/superstars";
import { getHomeFeed } from "@/lib/feed/home-feed";
import { cachedReaderView } from "@/lib/feed/reader-view";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { createPost } from "@/lib/posts/create-post";
import { blockUser, unblockUser } from "@/lib/relationships/block";
import { muteUser, unmuteUser } from "@/lib/relationships/mute";
import { setShowReposts } from "@/lib/relationships/show-reposts";
import { makeUsers } from "../support/fixtures";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const view = (readerId: string) => cachedReaderView(readerId, true);
const pulledIds = async (readerId: string) => (await view(readerId)).pulled.map((a) => a.id).sort();
const hiddenIds = async (readerId: string) => [...(await view(readerId)).hidden].sort();

describe("the writers' invalidation of reader views", () => {
  it("lets the writers' changes be seen at once, before any background work", async () => {
    const [reader, star, other] = await makeUsers(3, "rvw");
    await flagSuperstar({ username: star!.username });
    const p = await createPost({ authorId: star!.id, content: "from a superstar" });
    await getHomeFeed({ viewerId: reader!.id, limit: 5 });

    await followUser({ followerId: reader!.id, username: star!.username });
    // No settle: the superstar's post is pulled on the very next read.
    expect((await getHomeFeed({ viewerId: reader!.id, limit: 5 })).items.map((i) => i.id)).toEqual([p.id]);
    expect((await view(reader!.id)).pulled).toEqual([{ id: star!.id, showReposts: true }]);

    await setShowReposts({ followerId: reader!.id, username: star!.username, showReposts: false });
    expect((await view(reader!.id)).pulled).toEqual([{ id: star!.id, showReposts: false }]);

    await muteUser({ muterId: reader!.id, username: star!.username });
    expect(await pulledIds(reader!.id)).toEqual([]);
    expect(await hiddenIds(reader!.id)).toEqual([star!.id]);
    await unmuteUser({ muterId: reader!.id, username: star!.username });
    expect(await pulledIds(reader!.id)).toEqual([star!.id]);
    expect(await hiddenIds(reader!.id)).toEqual([]);

    await unfollowUser({ followerId: reader!.id, username: star!.username });
    expect(await pulledIds(reader!.id)).toEqual([]);
    expect((await getHomeFeed({ viewerId: reader!.id, limit: 5 })).items).toEqual([]);

    // A block changes both sides' views.
    await view(other!.id);
    await blockUser({ blockerId: other!.id, username: reader!.username });
    expect(await hiddenIds(reader!.id)).toEqual([other!.id]);
    expect(await hiddenIds(other!.id)).toEqual([reader!.id]);
    await unblockUser({ blockerId: other!.id, username: reader!.username });
    expect(await hiddenIds(reader!.id)).toEqual([]);
    expect(await hiddenIds(other!.id)).toEqual([]);
  });

  it("reaches every cached view when an account is flagged superstar", async () => {
    const [reader, author] = await makeUsers(2, "rvf");
    await followUser({ followerId: reader!.id, username: author!.username });
    expect(await pulledIds(reader!.id)).toEqual([]); // cached: an ordinary account is pushed
    await flagSuperstar({ username: author!.username });
    expect(await pulledIds(reader!.id)).toEqual([author!.id]);
  });
});
