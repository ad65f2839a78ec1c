// People search against the real Postgres: the ranking tiers, exact paging, blocks, followedByMe.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/db";
import { blocks, follows } from "@/db/schema";
import { encodeCursor } from "@/lib/cursor";
import { searchUsers } from "@/lib/search/users";
import type { UserDto } from "@/lib/users/dto";
import { makeUser, suffix } from "../support/fixtures";
import { appErrorOf } from "../support/app-error";

afterAll(closeDb);

/** A token no other test's user contains: letters only, so it is one trigram-friendly word. */
const token = () =>
  `q${suffix()}`
    .replace(/\d/g, (d) => "ghijklmnop"[Number(d)]!)
    .slice(0, 11);

async function readAll(q: string, limit: number, viewerId: string | null = null, from?: string | null) {
  const items: UserDto[] = [];
  let cursor = from ?? undefined;
  let pages = 0;
  do {
    const page = await searchUsers({ q, cursor, limit, viewerId });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 200);
  return items;
}

describe("searchUsers ranking", () => {
  it("puts the exact handle first, then handle prefixes (shortest first), then display-name prefixes, then fuzzy matches", async () => {
    const t = token();
    // Made in an order unlike the expected one, so ids do not decide it.
    const fuzzyName = await makeUser({ displayName: `Someone ${t.slice(0, 5)}x${t.slice(6)}` });
    const namePrefix = await makeUser({ displayName: `${t.toUpperCase()} Smith` });
    const longPrefix = await makeUser({ username: `${t}_longer_one` });
    const fuzzyHandle = await makeUser({ username: `${t.slice(0, 4)}z${t.slice(5)}` });
    const exact = await makeUser({ username: t, displayName: "Plain Name" });
    const shortPrefix = await makeUser({ username: `${t}_ab` });
    await makeUser({ username: `zz_${suffix()}`, displayName: "Unrelated Person" });

    const page = await searchUsers({ q: t, limit: 20 });
    const ids = page.items.map((u) => u.id);
    expect(ids.slice(0, 4)).toEqual([exact.id, shortPrefix.id, longPrefix.id, namePrefix.id]);
    // Both fuzzy matches come after every prefix match, and nothing else matches.
    expect(new Set(ids.slice(4))).toEqual(new Set([fuzzyHandle.id, fuzzyName.id]));
    expect(page.nextCursor).toBeNull();

    // A leading @ and capitals do not matter.
    expect((await searchUsers({ q: `  @${t.toUpperCase()} `, limit: 20 })).items.map((u) => u.id)).toEqual(ids);
    // A prefix of the handle: no exact match, the prefix tiers keep their order.
    const prefix = (await searchUsers({ q: t.slice(0, 9), limit: 20 })).items.map((u) => u.id);
    expect(prefix.slice(0, 4)).toEqual([exact.id, shortPrefix.id, longPrefix.id, namePrefix.id]);
  });

  it("finds a display name by one of its words and by a typo, and returns the API's User", async () => {
    const t = token();
    const user = await makeUser({ displayName: `Ada ${t} Lovelace` });
    const typo = `${t.slice(0, -1)}z`; // one wrong letter
    for (const q of [t, typo]) {
      const [found] = (await searchUsers({ q, limit: 5 })).items;
      expect(found).toEqual({
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        bio: "",
        createdAt: user.createdAt.toISOString(),
        followersCount: 0,
        followingCount: 0,
        postsCount: 0,
        isSuperstar: false,
        avatarUrl: null,
      });
    }
    expect((await searchUsers({ q: "@", limit: 5 })).items).toEqual([]);
  });

  it("treats LIKE wildcards in the query literally", async () => {
    const t = token();
    await makeUser({ username: `${t}_x` });
    await makeUser({ username: `${t}ax` });
    // "_" is a wildcard in LIKE: taken literally, only the first is a handle prefix.
    const items = (await searchUsers({ q: `${t}_`, limit: 5 })).items.map((u) => u.username);
    expect(items[0]).toBe(`${t}_x`);
    expect((await searchUsers({ q: "%", limit: 5 })).items).toEqual([]);
  });
});

describe("searchUsers paging", () => {
  it("pages every match exactly once, in the same order, for any page size", async () => {
    const t = token();
    const made = [];
    for (let i = 0; i < 12; i++) made.push(await makeUser({ username: `${t}_${"x".repeat(i % 4)}${i}` }));
    for (let i = 0; i < 6; i++) made.push(await makeUser({ displayName: `${t} ${i}` }));
    for (let i = 0; i < 5; i++) made.push(await makeUser({ displayName: `Fan of ${t}${"xyzzy".slice(0, i)}` }));
    const all = (await searchUsers({ q: t, limit: 100 })).items.map((u) => u.id);
    expect(new Set(all)).toEqual(new Set(made.map((u) => u.id)));
    for (const limit of [1, 4, 7, 23]) {
      expect((await readAll(t, limit)).map((u) => u.id)).toEqual(all);
    }
    // A user who joins in the middle of paging does not shift the rest (no repeat, no skip).
    const first = await searchUsers({ q: t, limit: 10 });
    await makeUser({ username: `${t}_a` });
    const seen = [...first.items, ...(await readAll(t, 3, null, first.nextCursor))].map((u) => u.id);
    expect(seen.filter((id) => all.includes(id))).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("rejects a malformed cursor with a 400 and treats a far one as the end", async () => {
    for (const cursor of ["nope!", "abc", encodeCursor({ t: 1, id: "1" }).slice(0, -2) + "$$"]) {
      expect(await appErrorOf(searchUsers({ q: "anyone", cursor, limit: 5 }))).toMatchObject({ status: 400, code: "invalid_cursor" });
    }
    expect((await searchUsers({ q: "anyone", cursor: encodeCursor({ t: 999_999_999_999_999, id: "1" }), limit: 5 })).items).toEqual([]);
  });
});

describe("searchUsers and the viewer", () => {
  it("hides users who blocked the viewer, and says whom the viewer follows", async () => {
    const t = token();
    const [viewer, blocker, followed, other] = [
      await makeUser(),
      await makeUser({ username: `${t}_blocker` }),
      await makeUser({ username: `${t}_followed` }),
      await makeUser({ username: `${t}_other` }),
    ];
    await getDb().insert(blocks).values({ blockerId: blocker.id, blockedId: viewer.id });
    await getDb().insert(follows).values({ followerId: viewer.id, followeeId: followed.id });

    const seen = (await searchUsers({ q: t, limit: 20, viewerId: viewer.id })).items;
    // Both are handle prefixes: the shorter handle first.
    expect(seen.map((u) => [u.username, u.followedByMe])).toEqual([
      [other.username, false],
      [followed.username, true],
    ]);
    // Everyone else still finds the blocker; logged out, followedByMe is absent.
    const anonymous = (await searchUsers({ q: t, limit: 20 })).items;
    expect(anonymous.map((u) => u.id)).toContain(blocker.id);
    expect(anonymous.every((u) => !("followedByMe" in u))).toBe(true);
  });
});
