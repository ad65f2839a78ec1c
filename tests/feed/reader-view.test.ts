// The reader view cache (lib/feed/reader-view.ts): a warm feed read takes whom it pulls
// and hides from Redis; a change is made sure of by its event's handler, and never undone
// by a view that was computed before the change and stored after it. The writers' own
// invalidation, with no background work running: reader-view-writers.test.ts.
import { describe, expect, it, vi } from "vitest";
import { getSql } from "@/db";
import { syncRelation } from "@/lib/feed/follow-sync";
import { getHomeFeed } from "@/lib/feed/home-feed";
import { cachedReaderView, forgetAllReaderViews, forgetReaderViews, loadAndStoreView, queueViewRead } from "@/lib/feed/reader-view";
import { getRedis, redisKey } from "@/lib/redis";
import { makeUsers } from "../support/fixtures";
import { feedEngineForFile } from "./support/engine";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

feedEngineForFile();

const view = (readerId: string) => cachedReaderView(readerId, true);
const hiddenIds = async (readerId: string) => [...(await view(readerId)).hidden].sort();

async function lookup(readerId: string) {
  const p = getRedis().pipeline();
  const parse = queueViewRead(p, readerId, true);
  return parse((await p.exec()) as unknown[]);
}

describe("the reader view cache", () => {
  it("serves a warm read's view from Redis: a change written behind the app's back shows only once the view is forgotten", async () => {
    const [reader, other] = await makeUsers(2, "rvc");
    await getHomeFeed({ viewerId: reader!.id, limit: 5 }); // computes and stores the view
    expect((await lookup(reader!.id)).view).toEqual({ pulled: [], hidden: [] });

    await getSql()`insert into mutes (muter_id, muted_id) values (${reader!.id}, ${other!.id})`;
    expect(await hiddenIds(reader!.id)).toEqual([]); // the cached view, not Postgres
    await forgetReaderViews([reader!.id]);
    expect(await hiddenIds(reader!.id)).toEqual([other!.id]);
  });

  it("never uses a view computed before a change and stored after it", async () => {
    const [reader, other] = await makeUsers(2, "rvs");
    const before = await lookup(reader!.id);
    // A reader computes its view (no mute yet)…
    const stale = (await cachedReaderView(reader!.id, true)).hidden;
    expect(stale).toEqual([]);
    // …a mute commits and the view is forgotten meanwhile…
    await getSql()`insert into mutes (muter_id, muted_id) values (${reader!.id}, ${other!.id})`;
    await forgetReaderViews([reader!.id]);
    // …and the slow reader stores its stale view only now, under the stamps it had read.
    await storeStale(reader!.id, before.stamps);
    expect((await lookup(reader!.id)).view).toBeNull();
    expect(await hiddenIds(reader!.id)).toEqual([other!.id]);

    // The same with the superstar epoch.
    const stamps = (await lookup(reader!.id)).stamps;
    await forgetAllReaderViews();
    await storeStale(reader!.id, stamps);
    expect((await lookup(reader!.id)).view).toBeNull();
  });

  it("is made sure of by the change's event handler when the writer's bump did not happen", async () => {
    const [reader, other] = await makeUsers(2, "rve");
    expect(await hiddenIds(reader!.id)).toEqual([]);
    // As if muteUser's own bump had met a Redis error: the row, and then the event's run.
    await getSql()`insert into mutes (muter_id, muted_id) values (${reader!.id}, ${other!.id})`;
    expect(await hiddenIds(reader!.id)).toEqual([]);
    await syncRelation({ userId: reader!.id, targetId: other!.id });
    expect(await hiddenIds(reader!.id)).toEqual([other!.id]);
  });
});

/** Stores whatever Postgres says now under old stamps, as a reader that read them long ago would. */
async function storeStale(readerId: string, stamps: { g: number; e: number }) {
  await loadAndStoreView(readerId, true, stamps);
  const stored = JSON.parse((await getRedis().hget(redisKey("vw", readerId), "v")) as string) as { g: number; e: number };
  expect([stored.g, stored.e]).toEqual([stamps.g, stamps.e]);
}
