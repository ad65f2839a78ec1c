// Finding accounts for the admin page: lib/admin/user-search.ts. Each test searches for a
// token only its own users carry.
import { describe, expect, it } from "vitest";
import { flagSuperstar } from "@/lib/admin/superstars";
import { searchUsers } from "@/lib/admin/user-search";
import { followUser } from "@/lib/follows/follow";
import { appErrorOf } from "../support/app-error";
import { makeUser, suffix } from "../support/fixtures";

/** A fresh lower-case token of 12 characters, for handles (≤ 30) and display names. */
const token = () => `q${suffix()}x`;

describe("searchUsers", () => {
  it("finds part of a handle in any case, and ignores a leading @", async () => {
    const t = token();
    const a = await makeUser({ username: `${t}_alpha` });
    const b = await makeUser({ username: `zz${t}` });
    await makeUser(); // someone else
    for (const query of [t, t.toUpperCase(), `@${t}`, `  ${t}  `]) {
      const found = await searchUsers({ query });
      expect(found.map((u) => u.id).sort(), query).toEqual([a.id, b.id].sort());
    }
    expect((await searchUsers({ query: `${t}_ALPHA` })).map((u) => u.id)).toEqual([a.id]);
  });

  it("finds part of a display name in any case", async () => {
    const t = token();
    const user = await makeUser({ displayName: `Ada ${t.toUpperCase()} Lovelace` });
    expect((await searchUsers({ query: `${t} love` })).map((u) => u.id)).toEqual([user.id]);
    expect(await searchUsers({ query: `${t} nobody` })).toEqual([]);
  });

  it("puts the exact handle first, then handles that start with the query, then the most followed", async () => {
    const t = token();
    const popular = await makeUser({ username: `a_${t}`, displayName: "Popular" });
    const quiet = await makeUser({ username: `b_${t}`, displayName: "Quiet" });
    const prefixed = await makeUser({ username: `${t}_b` });
    const exact = await makeUser({ username: t });
    for (let i = 0; i < 2; i++) await followUser({ followerId: (await makeUser()).id, username: popular.username });
    await followUser({ followerId: (await makeUser()).id, username: quiet.username });
    const found = await searchUsers({ query: t });
    expect(found.map((u) => u.username)).toEqual([exact.username, prefixed.username, popular.username, quiet.username]);
    expect(found.map((u) => u.followersCount)).toEqual([0, 0, 2, 1]);
  });

  it("treats %, _ and \\ as themselves, not as patterns", async () => {
    const t = token();
    const underscored = await makeUser({ username: `${t}_a` });
    await makeUser({ username: `${t}ya` });
    expect((await searchUsers({ query: `${t}_a` })).map((u) => u.id)).toEqual([underscored.id]);
    const percent = await makeUser({ displayName: `${t} 100% sure` });
    expect((await searchUsers({ query: `${t} 100%` })).map((u) => u.id)).toEqual([percent.id]);
    expect(await searchUsers({ query: `${t}%a` })).toEqual([]);
    expect(await searchUsers({ query: `${t}\\` })).toEqual([]);
  });

  it("shows follower counts, the superstar flag, and followedByMe for a viewer", async () => {
    const t = token();
    const star = await makeUser({ username: `${t}_star` });
    const viewer = await makeUser();
    await followUser({ followerId: viewer.id, username: star.username });
    await flagSuperstar({ username: star.username });
    const [found] = await searchUsers({ query: t, viewerId: viewer.id });
    expect(found).toEqual(expect.objectContaining({ id: star.id, isSuperstar: true, followersCount: 1, followedByMe: true }));
    expect((await searchUsers({ query: t }))[0]).not.toHaveProperty("followedByMe");
  });

  it("returns at most `limit` matches (20 by default)", async () => {
    const t = token();
    for (let i = 0; i < 22; i++) await makeUser({ username: `${t}_${i}` });
    expect(await searchUsers({ query: t })).toHaveLength(20);
    expect(await searchUsers({ query: t, limit: 3 })).toHaveLength(3);
    expect(await searchUsers({ query: t, limit: 50 })).toHaveLength(22);
  });

  it("refuses an empty, blank, overlong or NUL query with a 400 that says why, never a 500", async () => {
    const cases: Array<[string, string]> = [
      ["", "Type part of a username or display name."],
      ["   ", "Type part of a username or display name."],
      ["@", "Type part of a username or display name."],
      ["x".repeat(51), "Searches can be at most 50 characters."],
      ["ab\u0000cd", "Searches can't contain NUL characters."],
    ];
    for (const [query, message] of cases) {
      const error = await appErrorOf(searchUsers({ query }));
      expect([error.status, error.code, error.fields], JSON.stringify(query)).toEqual([400, "invalid_input", { q: message }]);
    }
    expect(await searchUsers({ query: "x".repeat(50) })).toEqual([]);
    for (const limit of [0, 51, 1.5]) {
      const error = await appErrorOf(searchUsers({ query: "abc", limit }));
      expect([error.status, Object.keys(error.fields ?? {})], String(limit)).toEqual([400, ["limit"]]);
    }
  });
});
