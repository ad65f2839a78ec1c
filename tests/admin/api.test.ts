// The admin endpoints of api-v1.md, called as Next.js would call them; only the session is
// faked. Every one is 401 logged out and 403 for a non-admin, before it reads its input.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db";
import { GET as statsRoute } from "@/app/api/v1/admin/stats/route";
import { GET as superstarsRoute } from "@/app/api/v1/admin/superstars/route";
import { PUT as flagRoute } from "@/app/api/v1/admin/superstars/[username]/route";
import { GET as usersRoute } from "@/app/api/v1/admin/users/route";
import { encodeSuperstarCursor } from "@/lib/admin/superstars";
import type { Page } from "@/lib/cursor";
import type { FeedStats } from "@/lib/feed/stats";
import type { UserDto } from "@/lib/users/dto";
import { type ErrorBody, apiRequest, makeUser, readJson, routeParams, suffix } from "../support/fixtures";
import { logInAs } from "../support/session";
import { userRow } from "../users/fixtures";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
});

async function asAdmin() {
  const admin = await makeUser();
  logInAs(admin, true);
  return admin;
}

async function asUser() {
  const user = await makeUser();
  logInAs(user);
  return user;
}

const flag = (username: string, headers?: Record<string, string>) =>
  flagRoute(apiRequest("PUT", `/api/v1/admin/superstars/${encodeURIComponent(username)}`, { headers }), routeParams({ username }));
const superstars = (search = "") => superstarsRoute(apiRequest("GET", `/api/v1/admin/superstars${search}`), routeParams({}));
const searchUsers = (search = "") => usersRoute(apiRequest("GET", `/api/v1/admin/users${search}`), routeParams({}));
const stats = () => statsRoute(apiRequest("GET", "/api/v1/admin/stats"), routeParams({}));

describe("who may use the admin endpoints", () => {
  const calls: Array<[string, () => Promise<Response>]> = [
    ["GET superstars", () => superstars()],
    ["GET superstars with a bad cursor", () => superstars("?cursor=garbage!")],
    ["PUT superstars/{username}", () => flag("someone_unknown_here")],
    ["GET users", () => searchUsers("?q=abc")],
    ["GET users without q", () => searchUsers()],
    ["GET stats", () => stats()],
  ];

  it("answers 401 unauthenticated when logged out", async () => {
    for (const [name, call] of calls) {
      const { status, body } = await readJson<ErrorBody>(await call());
      expect([status, body.error.code], name).toEqual([401, "unauthenticated"]);
    }
  });

  it("answers 403 forbidden to a logged-in non-admin, and flags no one", async () => {
    const target = await makeUser();
    await asUser();
    for (const [name, call] of [...calls, ["PUT a real user", () => flag(target.username)] as const]) {
      const { status, body } = await readJson<ErrorBody>(await call());
      expect([status, body.error.code], name).toEqual([403, "forbidden"]);
    }
    expect((await userRow(target.id)).isSuperstar).toBe(false);
  });

  it("answers 200 to an admin", async () => {
    await asAdmin();
    expect((await superstars()).status).toBe(200);
    expect((await searchUsers("?q=abc")).status).toBe(200);
    expect((await stats()).status).toBe(200);
  });
});

describe("PUT /api/v1/admin/superstars/{username}", () => {
  it("flags the account and answers its User; again, the same", async () => {
    const target = await makeUser();
    await asAdmin();
    for (let i = 0; i < 2; i++) {
      const { status, body } = await readJson<UserDto>(await flag(target.username.toUpperCase()));
      expect(status).toBe(200);
      expect(body).toEqual(expect.objectContaining({ id: target.id, username: target.username, isSuperstar: true, followedByMe: false }));
    }
    expect((await userRow(target.id)).isSuperstar).toBe(true);
  });

  it("is a 404 for an unknown user", async () => {
    await asAdmin();
    const { status, body } = await readJson<ErrorBody>(await flag(`nobody_${suffix()}`));
    expect([status, body.error.code]).toEqual([404, "not_found"]);
  });

  it("refuses a cross-site write", async () => {
    const target = await makeUser();
    await asAdmin();
    expect((await flag(target.username, { origin: "https://evil.example" })).status).toBe(403);
    expect((await userRow(target.id)).isSuperstar).toBe(false);
  });
});

describe("GET /api/v1/admin/superstars", () => {
  it("pages the flagged accounts with limit and cursor, {items, nextCursor}", async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    await asAdmin();
    for (const user of [a, b, c]) expect((await flag(user.username)).status).toBe(200);
    // From just above the newest of the three: c, b, then a and whatever older ones exist.
    const start = encodeSuperstarCursor((BigInt(c.id) + 1n).toString());
    const first = await readJson<Page<UserDto>>(await superstars(`?limit=2&cursor=${start}`));
    expect(first.status).toBe(200);
    expect(first.body.items.map((u) => u.id)).toEqual([c.id, b.id]);
    expect(first.body.items[0]).toEqual(expect.objectContaining({ isSuperstar: true, followedByMe: false }));
    const second = await readJson<Page<UserDto>>(await superstars(`?limit=1&cursor=${encodeURIComponent(first.body.nextCursor!)}`));
    expect(second.body.items.map((u) => u.id)).toEqual([a.id]);
  });

  it("answers 400 to a malformed cursor or an out-of-range limit", async () => {
    await asAdmin();
    for (const cursor of ["garbage!", "bm90LWEtY3Vyc29y", "%00"]) {
      const { status, body } = await readJson<ErrorBody>(await superstars(`?cursor=${cursor}`));
      expect([status, body.error.code], cursor).toEqual([400, "invalid_cursor"]);
    }
    const badLimit = await readJson<ErrorBody>(await superstars("?limit=500"));
    expect(badLimit.status).toBe(400);
    expect(Object.keys(badLimit.body.error.fields!)).toEqual(["limit"]);
  });
});

describe("GET /api/v1/admin/users", () => {
  it("finds accounts by part of their handle, with counts and the flag", async () => {
    const t = `s${suffix()}`;
    const star = await makeUser({ username: `${t}_star` });
    const plain = await makeUser({ username: `${t}_plain` });
    await asAdmin();
    await flag(star.username);
    const { status, body } = await readJson<{ items: UserDto[] }>(await searchUsers(`?q=${t.toUpperCase()}`));
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["items"]);
    expect(body.items.map((u) => [u.username, u.isSuperstar, u.followersCount]).sort()).toEqual(
      [
        [plain.username, false, 0],
        [star.username, true, 0],
      ].sort(),
    );
    const limited = await readJson<{ items: UserDto[] }>(await searchUsers(`?q=${t}&limit=1`));
    expect(limited.body.items).toHaveLength(1);
  });

  it("answers 400 with fields.q to a missing, blank or overlong q, and fields.limit to a bad limit", async () => {
    await asAdmin();
    for (const search of ["", "?q=", "?q=%20%20", "?q=%40", `?q=${"x".repeat(51)}`, "?q=a%00b"]) {
      const { status, body } = await readJson<ErrorBody>(await searchUsers(search));
      expect([status, body.error.code, Object.keys(body.error.fields ?? {})], search).toEqual([400, "invalid_input", ["q"]]);
    }
    const { status, body } = await readJson<ErrorBody>(await searchUsers("?q=abc&limit=51"));
    expect([status, Object.keys(body.error.fields ?? {})]).toEqual([400, ["limit"]]);
  });
});

describe("GET /api/v1/admin/stats", () => {
  it("answers the FeedStats object", async () => {
    await asAdmin();
    const { status, body } = await readJson<FeedStats>(await stats());
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["fanout", "rebuilds"]);
    expect(Object.keys(body.fanout).sort()).toEqual(["deliveries", "maxMs", "p50Ms", "p99Ms", "samples"]);
    for (const n of [body.fanout.samples, body.fanout.deliveries, body.rebuilds]) expect(Number.isInteger(n) && n >= 0).toBe(true);
    for (const ms of [body.fanout.p50Ms, body.fanout.p99Ms, body.fanout.maxMs]) expect(ms === null || ms >= 0).toBe(true);
    // With no samples there are no percentiles.
    if (body.fanout.samples === 0) expect([body.fanout.p50Ms, body.fanout.p99Ms, body.fanout.maxMs]).toEqual([null, null, null]);
  });
});
