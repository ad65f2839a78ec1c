// The transactional outbox and its relay, against the real Postgres and the run's
// orchestrator. Failures are real ones: a sender that refuses before anything leaves, or one
// whose events reach Inngest but whose answer is lost.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb, getSql } from "@/db";
import { inngest } from "@/lib/events/client";
import { enqueueEvents, transactWithEvents } from "@/lib/events/outbox";
import { OutboxRelay, type EventSender, type OutboxRow } from "@/lib/events/relay";
import { systemPing } from "@/lib/events/schemas";
import { outboxRow, sentEvents, UUID } from "../support/events";
import { suffix } from "../support/fixtures";

afterAll(closeDb);

const realSend: EventSender = (events) => inngest.send(events);

/** Forwards to Inngest, but the first `failures` calls fail: alternately before sending and after (answer lost). */
function flakySender(failures: number): EventSender & { calls: number } {
  const sender = Object.assign(
    async (events: Parameters<EventSender>[0]) => {
      sender.calls += 1;
      if (sender.calls > failures) return realSend(events);
      if (sender.calls % 2 === 1) throw new Error("connection refused (injected)");
      await realSend(events);
      throw new Error("answer lost after delivery (injected)");
    },
    { calls: 0 },
  );
  return sender;
}

async function enqueuePings(tokens: string[]): Promise<OutboxRow[]> {
  return getDb().transaction((tx) => enqueueEvents(tx, tokens.map((token) => systemPing.create({ token }))));
}

/**
 * Makes rows due, as if their backoff or claim had run out. A second back: the column keeps
 * milliseconds and Postgres rounds `now()` to them, so "now" could be in the future by half
 * a millisecond for a sweep that runs right after.
 */
async function makeDue(ids: string[]): Promise<void> {
  await getSql()`update outbox_events set next_attempt_at = now() - interval '1 second' where id = any(${ids}::uuid[])`;
}

async function pings(tokens: string[]) {
  return (await sentEvents("system/ping")).filter((e) => tokens.includes(e.data.token as string));
}

describe("the outbox relay", () => {
  it("delivers each event exactly once per id however many sends fail, and prunes it after", async () => {
    const tokens = [`a-${suffix()}`, `b-${suffix()}`, `c-${suffix()}`];
    const rows = await enqueuePings(tokens);
    const sender = flakySender(4);
    const relay = new OutboxRelay(sender);

    await relay.deliver(rows); // fails: refused
    expect((await outboxRow(rows[0]!.id))!.attempts).toBe(1);
    for (let i = 0; i < 4; i++) {
      await makeDue(rows.map((r) => r.id));
      await relay.sweep();
    }
    expect(sender.calls).toBe(5);

    // Inngest got each event more than once (two answers were lost), always under the
    // same id, which is how Inngest drops the repeats: one event per id, one run per event.
    const received = await pings(tokens);
    expect(received).toHaveLength(3 * tokens.length);
    const idOf = new Map(rows.map((r) => [(r.data as { token: string }).token, r.id]));
    for (const event of received) expect(event.id).toBe(idOf.get(event.data.token as string));
    expect(new Set(received.map((e) => e.id)).size).toBe(tokens.length);
    for (const row of rows) expect(await outboxRow(row.id)).toBeUndefined();
  });

  it("retries a failed delivery later, not at once, with the error recorded", async () => {
    const rows = await enqueuePings([`later-${suffix()}`]);
    const relay = new OutboxRelay(flakySender(1));
    await relay.deliver(rows);
    const [row] = await getSql()<Array<{ attempts: number; last_error: string; due_in_ms: number }>>`
      select attempts, last_error, (extract(epoch from next_attempt_at - now()) * 1000)::float8 as due_in_ms from outbox_events where id = ${rows[0]!.id}`;
    expect(row).toMatchObject({ attempts: 1, last_error: "connection refused (injected)" });
    expect(row!.due_in_ms).toBeGreaterThan(0);
    await relay.sweep();
    expect((await outboxRow(rows[0]!.id))?.attempts).toBe(1); // not due yet: left alone
    await makeDue([rows[0]!.id]);
    await relay.sweep();
    expect(await outboxRow(rows[0]!.id)).toBeUndefined();
  });

  it("sweeps rows whose writer never delivered them (a process that died after its commit)", async () => {
    const tokens = [`orphan-${suffix()}`];
    const rows = await enqueuePings(tokens); // the writer's claim holds them for a while
    const relay = new OutboxRelay(realSend);
    await relay.sweep();
    expect(await pings(tokens)).toHaveLength(0); // still the writer's
    await makeDue(rows.map((r) => r.id));
    await relay.sweep();
    expect(await pings(tokens)).toHaveLength(1);
    expect(await outboxRow(rows[0]!.id)).toBeUndefined();
  });

  it("never lets two relays send the same row: a relay's claim keeps the other off its rows", async () => {
    const tokens = Array.from({ length: 150 }, (_, i) => `pair-${i}-${suffix()}`);
    const rows = await enqueuePings(tokens);
    await makeDue(rows.map((r) => r.id));
    const mine = new Set(rows.map((r) => r.id));
    const sentBy: string[][] = [[], []];
    let claimed!: () => void;
    const firstClaim = new Promise<void>((resolve) => (claimed = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new OutboxRelay(async (events) => {
      sentBy[0]!.push(...events.map((e) => e.id));
      claimed();
      await gate; // holds its claim while the other relay sweeps
      await realSend(events);
    });
    const fast = new OutboxRelay(async (events) => {
      sentBy[1]!.push(...events.map((e) => e.id));
      await realSend(events);
    });
    const slowSweep = slow.sweep();
    await firstClaim;
    await fast.sweep();
    release();
    await slowSweep;
    // Other test files share this database, so the sweeps may take their rows too.
    const [a, b] = sentBy.map((ids) => ids.filter((id) => mine.has(id)));
    expect(a!.length).toBeGreaterThan(0);
    expect(b!.length).toBeGreaterThan(0);
    expect(a!.filter((id) => b!.includes(id))).toEqual([]);
    expect(new Set([...a!, ...b!])).toEqual(mine);
    expect((await pings(tokens)).length).toBe(150);
  });

  it("sends the rows of writers that commit while a send is out together, in order", async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const relay = new OutboxRelay(async (events) => {
      batches.push(events.map((e) => e.data.token as string));
      if (batches.length === 1) await gate;
      await realSend(events);
    });
    const first = await enqueuePings([`g0-${suffix()}`]);
    const rest = await Promise.all([1, 2, 3].map((i) => enqueuePings([`g${i}-${suffix()}`])));
    const done = [relay.deliver(first), ...rest.map((rows) => relay.deliver(rows))];
    release();
    await Promise.all(done);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toHaveLength(3);
  });

  it("lets writers go on at once while deliveries fail, and leaves their rows due for the sweep", async () => {
    let calls = 0;
    const relay = new OutboxRelay(async () => {
      calls += 1;
      throw new Error("Inngest is down (injected)");
    });
    await relay.deliver(await enqueuePings([`down-1-${suffix()}`]));
    expect(relay.delivering).toBe(false);
    await relay.deliver(await enqueuePings([`down-2-${suffix()}`]));
    expect(calls).toBe(1); // the second writer did not try
  });
});

describe("transactWithEvents", () => {
  it("writes no event for a transaction that rolls back", async () => {
    const token = `rolled-back-${suffix()}`;
    await expect(
      transactWithEvents(async (_tx, publish) => {
        publish(systemPing.create({ token }));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const [{ count }] = await getSql()<[{ count: number }]>`select count(*)::int as count from outbox_events where data->>'token' = ${token}`;
    expect(count).toBe(0);
    expect(await pings([token])).toHaveLength(0);
  });

  it("delivers the events of a committed transaction before it returns, with the row id as the event id", async () => {
    const token = `committed-${suffix()}`;
    await transactWithEvents(async (_tx, publish) => publish(systemPing.create({ token })));
    const [event] = await pings([token]);
    expect(event!.id).toMatch(UUID);
    expect(await outboxRow(event!.id)).toBeUndefined();
  });

  it("refuses an event that does not match its schema, and rolls the change back", async () => {
    await expect(transactWithEvents(async (_tx, publish) => publish(systemPing.create({ token: "" })))).rejects.toThrow();
  });
});
