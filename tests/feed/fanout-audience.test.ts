// Who a post is pushed to: the author's active followers, most recently active first,
// read in one query for a small audience and walked page by page for a large one; or, for
// a huge audience that is mostly active, every follower in follower order.
import { describe, expect, it } from "vitest";
import { getSql } from "@/db";
import { activeFollowers, fanoutAudience } from "@/lib/feed/fanout";
import { followUser } from "@/lib/follows/follow";
import { makeUsers } from "../support/fixtures";

async function collect(authorId: string, followersCount: number, size: number): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of activeFollowers(authorId, followersCount, size)) pages.push(page);
  return pages;
}

describe("activeFollowers", () => {
  it("pages the same followers as the single query, through ties on last_active_at, skipping the inactive", async () => {
    const [author, ...followers] = await makeUsers(11, "aud");
    for (const f of followers) await followUser({ followerId: f.id, username: author!.username });
    const sql = getSql();
    const tie = new Date(Date.now() - 60_000);
    // Six followers seen at the same instant (a batch update), two seen earlier, two long gone.
    const seen = [tie, tie, tie, tie, tie, tie, new Date(Date.now() - 1000), new Date(Date.now() - 120_000), new Date(Date.now() - 40 * 86400_000), null];
    for (const [i, f] of followers.entries()) await sql`update users set last_active_at = ${seen[i]?.toISOString() ?? null}::timestamptz where id = ${f.id}`;

    const expected = followers
      .map((f, i) => ({ id: f.id, at: seen[i] }))
      .filter((f) => f.at && f.at.getTime() > Date.now() - 10 * 86400_000)
      .sort((a, b) => b.at!.getTime() - a.at!.getTime() || Number(BigInt(b.id) - BigInt(a.id)))
      .map((f) => f.id);
    expect(expected).toHaveLength(8);

    const small = await collect(author!.id, followers.length, 3);
    expect(small.flat()).toEqual(expected);
    // The walk a large audience takes, with pages smaller than the tie.
    const large = await collect(author!.id, 1_000_000, 3);
    expect(large.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(large.flat()).toEqual(expected);
    expect((await collect(author!.id, 1_000_000, 4)).flat()).toEqual(expected);
  });

  it("pushes a huge, mostly active audience to every follower in id order, and a mostly inactive one to its active followers", async () => {
    const [author, ...followers] = await makeUsers(10, "dense");
    for (const f of followers) await followUser({ followerId: f.id, username: author!.username });
    const sql = getSql();
    const setActive = async (active: number) => {
      for (const [i, f] of followers.entries()) {
        const at = i < active ? new Date(Date.now() - (i + 1) * 1000) : new Date(Date.now() - 40 * 86400_000);
        await sql`update users set last_active_at = ${at.toISOString()}::timestamptz where id = ${f.id}`;
      }
    };
    const pages = async (followersCount: number) => {
      const out: string[][] = [];
      for await (const page of fanoutAudience(author!.id, followersCount)) out.push(page);
      return out.flat();
    };
    const byId = followers.map((f) => f.id).sort((a, b) => Number(BigInt(a) - BigInt(b)));
    const activeFirst = (n: number) => followers.slice(0, n).map((f) => f.id); // follower i was seen i+1 s ago

    await setActive(7); // 7 of 9 active
    expect(await pages(1_000_000)).toEqual(byId);
    // A small audience is never pushed whole: its active followers are read exactly.
    expect(await pages(followers.length)).toEqual(activeFirst(7));
    await setActive(2); // 2 of 9 active
    expect(await pages(1_000_000)).toEqual(activeFirst(2));
  });
});
