// The live-session endpoints, called as Next.js would call them (only the session is
// faked): the state machine, who may act, bad input, a host's list and the Live feed's
// cursors (malformed → 400, expired snapshot → 410).
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db";
import { sentEvents, type SentEvent } from "@/tests/support/events";
import { POST as scheduleRoute } from "@/app/api/v1/live/route";
import { DELETE as cancelRoute, GET as getRoute } from "@/app/api/v1/live/[id]/route";
import { POST as startRoute } from "@/app/api/v1/live/[id]/start/route";
import { POST as endRoute } from "@/app/api/v1/live/[id]/end/route";
import { GET as feedRoute } from "@/app/api/v1/feed/live/route";
import { GET as hostListRoute } from "@/app/api/v1/users/[username]/live/route";
import type { User } from "@/db/schema";
import { followUser } from "@/lib/follows/follow";
import { blockUser } from "@/lib/relationships/block";
import { getRedis, redisKey } from "@/lib/redis";
import type { LiveSessionDto } from "@/lib/live/dto";
import { deleteReplayQueue } from "@/lib/live/replay-store";
import { type ErrorBody, apiRequest, makeUser, readJson, routeParams } from "../support/fixtures";
import { logInAs } from "../support/session";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
});

process.env.RATE_LIMIT_MULTIPLIER = "1000";

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const schedule = (json: unknown) => scheduleRoute(apiRequest("POST", "/api/v1/live", { json }), routeParams({}));
const act = (route: typeof startRoute, id: string) => route(apiRequest("POST", `/api/v1/live/${id}/x`), routeParams({ id }));
const cancel = (id: string) => cancelRoute(apiRequest("DELETE", `/api/v1/live/${id}`), routeParams({ id }));
const get = (id: string) => getRoute(apiRequest("GET", `/api/v1/live/${id}`), routeParams({ id }));
const feed = (query = "") => feedRoute(apiRequest("GET", `/api/v1/feed/live${query}`), routeParams({}));
const hostList = (username: string, query = "") => hostListRoute(apiRequest("GET", `/api/v1/users/${username}/live${query}`), routeParams({ username }));

/** The outbox hands events to the orchestrator right after the commit; wait for them to arrive. */
async function eventually(read: () => Promise<SentEvent[]>): Promise<SentEvent[]> {
  for (let i = 0; i < 100; i++) {
    const events = await read();
    if (events.length > 0) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return read();
}

async function scheduled(host: User, title = "A session", minutes = 30): Promise<LiveSessionDto> {
  logInAs(host);
  const { status, body } = await readJson<LiveSessionDto>(await schedule({ title, scheduledAt: inMinutes(minutes) }));
  expect(status).toBe(201);
  return body;
}

describe("the state machine", () => {
  it("goes upcoming → live → ended, each transition once, with its times", async () => {
    const host = await makeUser();
    const s = await scheduled(host, "  Morning show  ");
    expect(s).toMatchObject({ title: "Morning show", status: "upcoming", startedAt: null, endedAt: null, host: { id: host.id, username: host.username } });

    const started = await readJson<LiveSessionDto>(await act(startRoute, s.id));
    expect(started.status).toBe(200);
    expect(started.body.status).toBe("live");
    expect(started.body.startedAt).not.toBeNull();
    const again = await readJson<ErrorBody>(await act(startRoute, s.id));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("invalid_state");
    expect(again.body.error.message).toMatch(/live/);
    expect((await cancel(s.id)).status).toBe(409);

    const ended = await readJson<LiveSessionDto>(await act(endRoute, s.id));
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe("ended");
    expect(Date.parse(ended.body.endedAt!)).toBeGreaterThanOrEqual(Date.parse(ended.body.startedAt!));
    for (const route of [startRoute, endRoute]) {
      const { status, body } = await readJson<ErrorBody>(await act(route, s.id));
      expect(status).toBe(409);
      expect(body.error.message).toMatch(/ended/);
    }
    expect((await cancel(s.id)).status).toBe(409);
    logInAs(null);
    expect((await readJson<LiveSessionDto>(await get(s.id))).body.status).toBe("ended");

    // Every transition is exactly one event, with the time it wrote.
    for (const [name, at] of [["live/scheduled", null], ["live/started", started.body.startedAt], ["live/ended", ended.body.endedAt]] as const) {
      const sent = await eventually(async () => (await sentEvents(name)).filter((e) => e.data.sessionId === s.id));
      expect(sent, name).toHaveLength(1);
      expect(sent[0]!.data.hostId).toBe(host.id);
      if (at) expect(sent[0]!.data.at).toBe(Date.parse(at));
    }
  });

  it("ends only a live session and cancels only an upcoming one, after which it is gone", async () => {
    const host = await makeUser();
    const s = await scheduled(host);
    expect((await readJson<ErrorBody>(await act(endRoute, s.id))).body.error.code).toBe("invalid_state");
    expect((await cancel(s.id)).status).toBe(204);
    for (const response of [await get(s.id), await cancel(s.id), await act(startRoute, s.id), await act(endRoute, s.id)]) {
      expect(response.status).toBe(404);
    }
  });

  it("lets only the host act: 403 for anyone else, 401 logged out", async () => {
    const host = await makeUser();
    const other = await makeUser();
    const s = await scheduled(host);
    logInAs(null);
    expect((await act(startRoute, s.id)).status).toBe(401);
    expect((await cancel(s.id)).status).toBe(401);
    logInAs(other);
    for (const response of [await act(startRoute, s.id), await act(endRoute, s.id), await cancel(s.id)]) {
      const { status, body } = await readJson<ErrorBody>(response);
      expect(status).toBe(403);
      expect(body.error.code).toBe("forbidden");
    }
    logInAs(host);
    expect((await act(startRoute, s.id)).status).toBe(200);
    logInAs(other);
    expect((await act(endRoute, s.id)).status).toBe(403);
  });

  it("lets exactly one of two racing starts win", async () => {
    const host = await makeUser();
    const s = await scheduled(host);
    const statuses = (await Promise.all([act(startRoute, s.id), act(startRoute, s.id), act(startRoute, s.id)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
  });
});

describe("bad input", () => {
  it("refuses past, far-future and malformed times, and empty, long or NUL titles, with fields", async () => {
    const host = await makeUser();
    logInAs(host);
    const cases: Array<[unknown, string]> = [
      [{ title: "x", scheduledAt: inMinutes(-5) }, "scheduledAt"],
      [{ title: "x", scheduledAt: inMinutes(366 * 24 * 60) }, "scheduledAt"],
      [{ title: "x", scheduledAt: "tomorrow" }, "scheduledAt"],
      [{ title: "x", scheduledAt: 12345 }, "scheduledAt"],
      [{ title: "x" }, "scheduledAt"],
      [{ title: "   ", scheduledAt: inMinutes(5) }, "title"],
      [{ title: "a".repeat(101), scheduledAt: inMinutes(5) }, "title"],
      [{ title: "a\u0000b", scheduledAt: inMinutes(5) }, "title"],
      [{ scheduledAt: inMinutes(5) }, "title"],
    ];
    for (const [json, field] of cases) {
      const { status, body } = await readJson<ErrorBody>(await schedule(json));
      expect(status, JSON.stringify(json)).toBe(400);
      expect(body.error.fields?.[field], JSON.stringify(json)).toBeTruthy();
    }
    // 100 characters (an emoji is one code point here) and a start just now are fine.
    expect((await schedule({ title: "é".repeat(100), scheduledAt: inMinutes(0) })).status).toBe(201);
    expect((await schedule({ title: "x", scheduledAt: inMinutes(364 * 24 * 60) })).status).toBe(201);
    logInAs(null);
    expect((await schedule({ title: "x", scheduledAt: inMinutes(5) })).status).toBe(401);
  });

  it("answers 400 for malformed ids and 404 for unknown ones", async () => {
    logInAs(await makeUser());
    for (const id of ["abc", "1.5", "-3", "99999999999999999999"]) {
      expect((await get(id)).status, id).toBe(400);
      expect((await act(startRoute, id)).status, id).toBe(400);
      expect((await cancel(id)).status, id).toBe(400);
    }
    expect((await get("987654321987")).status).toBe(404);
    expect((await act(endRoute, "987654321987")).status).toBe(404);
  });

  it("answers 400 invalid_cursor for malformed feed and host-list cursors", async () => {
    const host = await makeUser();
    logInAs(host);
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    for (const cursor of ["x", "!!!", b64("s.nope.1.1"), b64("r.abc"), b64("r.1.2"), b64("h.l.1.1"), b64(`r.1.2.${"9".repeat(20)}`), b64("p.1.x.2.3"), b64("p.1.l.2"), b64(`p.1.u.2.${"9".repeat(20)}`), "a".repeat(300)]) {
      const { status, body } = await readJson<ErrorBody>(await feed(`?cursor=${cursor}`));
      expect(status, cursor).toBe(400);
      expect(body.error.code).toBe("invalid_cursor");
    }
    for (const cursor of ["x", b64("r.1"), b64("h.x.1.1")]) {
      expect((await hostList(host.username, `?cursor=${cursor}`)).status, cursor).toBe(400);
    }
    expect((await feed("?limit=0")).status).toBe(400);
    expect((await feed("?limit=101")).status).toBe(400);
  });
});

describe("the Live feed", () => {
  it("pages live, then upcoming, then replays, and answers 410 once the snapshot expired", async () => {
    const [host, viewer] = [await makeUser(), await makeUser()];
    await followUser({ followerId: viewer.id, username: host.username });
    const later = await scheduled(host, "later", 90);
    const soon = await scheduled(host, "soon", 10);
    const a = await scheduled(host, "a", 50);
    const b = await scheduled(host, "b", 60);
    const replay = await scheduled(host, "replay", 70);
    logInAs(host);
    for (const s of [a, b, replay]) await act(startRoute, s.id);
    await act(endRoute, replay.id);
    // Without the background fan-out, the viewer's queue is rebuilt from Postgres on the first read.
    logInAs(viewer);
    const first = await readJson<{ items: LiveSessionDto[]; nextCursor: string }>(await feed("?limit=2"));
    expect(first.status).toBe(200);
    expect(first.body.items.map((s) => [s.title, s.status])).toEqual([["b", "live"], ["a", "live"]]);
    // Host changes after page 1 do not show in this paging session.
    logInAs(host);
    await act(endRoute, a.id);
    await act(startRoute, soon.id);
    logInAs(viewer);
    const second = await readJson<{ items: LiveSessionDto[]; nextCursor: string }>(await feed(`?limit=2&cursor=${first.body.nextCursor}`));
    expect(second.body.items.map((s) => [s.title, s.status, s.startedAt])).toEqual([["soon", "upcoming", null], ["later", "upcoming", null]]);
    const third = await readJson<{ items: LiveSessionDto[]; nextCursor: string | null }>(await feed(`?limit=2&cursor=${second.body.nextCursor}`));
    expect(third.body.items.map((s) => [s.title, s.status])).toEqual([["replay", "ended"]]);
    expect(third.body.nextCursor).toBeNull();
    // A new first page shows the new state (this file runs no background fan-out: the
    // queue that would have received "a" is dropped and rebuilt).
    await deleteReplayQueue(viewer.id);
    const fresh = await readJson<{ items: LiveSessionDto[] }>(await feed("?limit=10"));
    expect(fresh.body.items.map((s) => [s.title, s.status])).toEqual([["soon", "live"], ["b", "live"], ["later", "upcoming"], ["a", "ended"], ["replay", "ended"]]);

    const again = await readJson<{ items: LiveSessionDto[]; nextCursor: string }>(await feed("?limit=1"));
    const keys = (await getRedis().keys(`${redisKey("lsnap")}:*`)) as string[];
    expect(keys.length).toBeGreaterThan(0);
    await getRedis().del(...keys);
    const expired = await readJson<ErrorBody>(await feed(`?limit=1&cursor=${again.body.nextCursor}`));
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe("cursor_expired");
    // Someone else's cursor is not this reader's snapshot.
    const mine = await readJson<{ nextCursor: string }>(await feed("?limit=1"));
    logInAs(host);
    expect((await feed(`?limit=1&cursor=${mine.body.nextCursor}`)).status).toBe(400);
    void later;
  });

  it("is 401 logged out and empty when following nobody", async () => {
    expect((await feed()).status).toBe(401);
    logInAs(await makeUser());
    expect((await readJson(await feed())).body).toEqual({ items: [], nextCursor: null });
  });
});

describe("a host's sessions", () => {
  it("lists live, then upcoming, then ended, page by page, without cancelled ones; 404 for a blocked viewer", async () => {
    const host = await makeUser();
    const u1 = await scheduled(host, "u1", 20);
    const u2 = await scheduled(host, "u2", 10);
    const l1 = await scheduled(host, "l1", 30);
    const l2 = await scheduled(host, "l2", 40);
    const e1 = await scheduled(host, "e1", 50);
    const e2 = await scheduled(host, "e2", 60);
    const gone = await scheduled(host, "gone", 70);
    logInAs(host);
    for (const s of [e1, e2, l1, l2]) await act(startRoute, s.id);
    await act(endRoute, e1.id);
    await act(endRoute, e2.id);
    await cancel(gone.id);
    logInAs(null);
    for (const limit of [1, 2, 3, 10]) {
      const titles: string[] = [];
      let cursor = "";
      for (;;) {
        const { status, body } = await readJson<{ items: LiveSessionDto[]; nextCursor: string | null }>(await hostList(host.username, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`));
        expect(status).toBe(200);
        titles.push(...body.items.map((s) => s.title));
        if (!body.nextCursor) break;
        cursor = body.nextCursor;
      }
      expect(titles, `limit ${limit}`).toEqual(["l2", "l1", "u2", "u1", "e2", "e1"]);
    }
    void u1;
    void u2;
    const blocked = await makeUser();
    await blockUser({ blockerId: host.id, username: blocked.username });
    logInAs(blocked);
    expect((await hostList(host.username)).status).toBe(404);
    expect((await get(l1.id)).status).toBe(404);
    expect((await hostList("nobody_here_at_all")).status).toBe(404);
  });
});
