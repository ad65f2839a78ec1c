// Flagging and listing superstars: lib/admin/superstars.ts. Other test files may flag users
// at the same time, so list checks look at this file's own users within the whole list.
import { describe, expect, it } from "vitest";
import { encodeSuperstarCursor, flagSuperstar, listSuperstars } from "@/lib/admin/superstars";
import { encodeCursor, type Page } from "@/lib/cursor";
import { followUser } from "@/lib/follows/follow";
import type { UserDto } from "@/lib/users/dto";
import { appErrorOf } from "../support/app-error";
import { makeUser, makeUsers } from "../support/fixtures";
import { userRow } from "../users/fixtures";

/** Every page from `start` on, with limit `limit`. */
async function readAll(limit: number, start?: string | null, between?: (page: Page<UserDto>) => Promise<void>) {
  const pages: Array<Page<UserDto>> = [];
  let cursor = start ?? undefined;
  do {
    const page = await listSuperstars({ cursor, limit, viewerId: null });
    pages.push(page);
    await between?.(page);
    cursor = page.nextCursor ?? undefined;
    expect(pages.length).toBeLessThan(500);
  } while (cursor);
  return pages;
}

const idsOf = (pages: Array<Page<UserDto>>) => pages.flatMap((p) => p.items.map((u) => u.id));
const byIdDesc = (a: string, b: string) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0);
/** A cursor just above the newest of `users`: the list from them downwards. */
const above = (...users: Array<{ id: string }>) =>
  encodeSuperstarCursor((BigInt(users.map((u) => u.id).sort(byIdDesc)[0]!) + 1n).toString());

describe("flagSuperstar", () => {
  it("flags an account: the User says so and so does the database", async () => {
    const user = await makeUser();
    expect(user.isSuperstar).toBe(false);
    const flagged = await flagSuperstar({ username: user.username });
    expect(flagged).toEqual(expect.objectContaining({ id: user.id, username: user.username, isSuperstar: true }));
    expect(flagged).not.toHaveProperty("followedByMe");
    expect((await userRow(user.id)).isSuperstar).toBe(true);
  });

  it("is idempotent: flagging again answers the same and writes nothing", async () => {
    const user = await makeUser();
    const first = await flagSuperstar({ username: user.username });
    const before = await userRow(user.id);
    const second = await flagSuperstar({ username: user.username });
    expect(second).toEqual(first);
    expect(await userRow(user.id)).toEqual(before);
  });

  it("takes the handle in any case and with surrounding spaces", async () => {
    const user = await makeUser();
    await flagSuperstar({ username: ` ${user.username.toUpperCase()} ` });
    expect((await userRow(user.id)).isSuperstar).toBe(true);
  });

  it("says whether the viewer follows the account when there is a viewer", async () => {
    const [admin, star] = await makeUsers(2, "fv");
    await followUser({ followerId: admin!.id, username: star!.username });
    expect(await flagSuperstar({ username: star!.username, viewerId: admin!.id })).toEqual(
      expect.objectContaining({ isSuperstar: true, followedByMe: true, followersCount: 1 }),
    );
  });

  it("is a 404 for an unknown or impossible handle, and flags no one", async () => {
    for (const username of ["nobody_by_this_name_x", "no", "not a handle!", "", "x".repeat(500)]) {
      const error = await appErrorOf(flagSuperstar({ username }));
      expect([error.status, error.code], username).toEqual([404, "not_found"]);
    }
  });
});

describe("listSuperstars", () => {
  it("lists flagged accounts only, newest account first, each once, across pages", async () => {
    const mine = await makeUsers(5, "ls");
    const flagged = [mine[0]!, mine[1]!, mine[3]!, mine[4]!];
    for (const user of flagged) await flagSuperstar({ username: user.username });

    const pages = await readAll(2);
    const ids = idsOf(pages);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort(byIdDesc)).toEqual(ids);
    expect(pages.flatMap((p) => p.items).every((u) => u.isSuperstar)).toBe(true);
    // This file's users: the flagged ones in id order, the unflagged one nowhere.
    const expected = flagged.map((u) => u.id).sort(byIdDesc);
    expect(ids.filter((id) => mine.some((u) => u.id === id))).toEqual(expected);
    expect(pages.slice(0, -1).every((p) => p.items.length === 2 && typeof p.nextCursor === "string")).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });

  it("keeps a cursor valid while flags change: no repeats, and nothing flagged before page 1 is skipped", async () => {
    const mine = await makeUsers(6, "lc");
    const [older, ...rest] = [...mine].sort((a, b) => byIdDesc(b.id, a.id)); // oldest first
    for (const user of rest) await flagSuperstar({ username: user.username });

    let changed = false;
    const pages = await readAll(2, undefined, async () => {
      if (changed) return;
      changed = true;
      // After page 1: a brand-new account is flagged (it sorts first), and an older one.
      await flagSuperstar({ username: (await makeUser()).username });
      await flagSuperstar({ username: older!.username });
    });
    const ids = idsOf(pages);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => rest.some((u) => u.id === id))).toEqual(rest.map((u) => u.id).sort(byIdDesc));
    expect(ids).toContain(older!.id);
  });

  it("says which listed accounts the viewer follows", async () => {
    const [viewer, followed, other] = await makeUsers(3, "lv");
    for (const user of [followed!, other!]) await flagSuperstar({ username: user.username });
    await followUser({ followerId: viewer!.id, username: followed!.username });
    const page = await listSuperstars({ cursor: above(followed!, other!), limit: 100, viewerId: viewer!.id });
    const flags = Object.fromEntries(page.items.filter((u) => u.id === followed!.id || u.id === other!.id).map((u) => [u.id, u.followedByMe]));
    expect(flags).toEqual({ [followed!.id]: true, [other!.id]: false });
  });

  it("shows current follower counts", async () => {
    const [star, fan] = await makeUsers(2, "lf");
    await flagSuperstar({ username: star!.username });
    await followUser({ followerId: fan!.id, username: star!.username });
    const page = await listSuperstars({ cursor: above(star!), limit: 1 });
    expect(page.items).toEqual([expect.objectContaining({ id: star!.id, followersCount: 1, isSuperstar: true })]);
  });

  it("is an empty last page below every id, and defaults to 20 items", async () => {
    expect(await listSuperstars({ cursor: encodeSuperstarCursor("1") })).toEqual({ items: [], nextCursor: null });
    const many = await makeUsers(21, "ld");
    for (const user of many) await flagSuperstar({ username: user.username });
    const page = await listSuperstars({ cursor: above(...many) });
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
  });

  it("is a 400 invalid_cursor for a malformed or foreign cursor, and a 400 for a bad limit", async () => {
    const cursors = [
      "garbage!",
      "bm90LWEtY3Vyc29y", // "not-a-cursor"
      Buffer.from("s.abc").toString("base64url"),
      Buffer.from("s.99999999999999999999").toString("base64url"), // past int8
      Buffer.from("x.12").toString("base64url"),
      encodeCursor({ t: 1, id: "12" }), // a follower list's cursor
      "A".repeat(200),
    ];
    for (const cursor of cursors) {
      const error = await appErrorOf(listSuperstars({ cursor }));
      expect([error.status, error.code], cursor).toEqual([400, "invalid_cursor"]);
    }
    for (const limit of [0, 101, 2.5, Number.NaN]) {
      const error = await appErrorOf(listSuperstars({ limit }));
      expect([error.status, Object.keys(error.fields ?? {})], String(limit)).toEqual([400, ["body"]]);
    }
  });
});
