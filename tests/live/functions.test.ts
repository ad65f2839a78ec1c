// The live sessions' background functions, run for real (tests/feed/support/engine.ts):
// the replay fan-out to followers' queues, the follow / unfollow reconciling of a queue,
// the host sets kept in step after a flush, and the go-live notifications.
import { describe, expect, it, vi } from "vitest";
import { getSql } from "@/db";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { getLiveFeed } from "@/lib/live/feed";
import { deleteHostSet, hostSetKey, readHostSets, writeHostEntry } from "@/lib/live/host-store";
import { ensureReplayQueue, replayQueueMembers } from "@/lib/live/replay-store";
import { endSession, scheduleSession, startSession } from "@/lib/live/state";
import { listNotifications } from "@/lib/notifications/queries";
import { getRedis } from "@/lib/redis";
import { blockUser } from "@/lib/relationships/block";
import { muteUser } from "@/lib/relationships/mute";
import { makeUsers } from "../support/fixtures";
import { feedEngineForFile } from "../feed/support/engine";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const engine = feedEngineForFile();
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function replayOf(hostId: string, title: string) {
  const s = await scheduleSession({ hostId, title, scheduledAt: inMinutes(5) });
  await startSession({ sessionId: s.id, userId: hostId });
  await endSession({ sessionId: s.id, userId: hostId });
  return s.id;
}

describe("replay queues", () => {
  it("get an ended session by fan-out (existing queues only), and a host's replays on follow, out on unfollow", async () => {
    const [host, other, online, offline] = await makeUsers(4, "lf");
    for (const viewer of [online!, offline!]) {
      await followUser({ followerId: viewer.id, username: host!.username });
      await followUser({ followerId: viewer.id, username: other!.username });
    }
    await engine.settle();
    await ensureReplayQueue(online!.id); // online: has a queue (and counts as active)
    const first = await replayOf(host!.id, "first");
    const second = await replayOf(other!.id, "second");
    await engine.settle();
    expect(new Set(await replayQueueMembers(online!.id))).toEqual(new Set([first, second]));
    expect(await replayQueueMembers(offline!.id)).toBeNull();

    await unfollowUser({ followerId: online!.id, username: host!.username });
    await engine.settle();
    expect(await replayQueueMembers(online!.id)).toEqual([second]);
    await followUser({ followerId: online!.id, username: host!.username });
    await engine.settle();
    expect(new Set(await replayQueueMembers(online!.id))).toEqual(new Set([first, second]));

    // The offline viewer's feed is rebuilt by pull: the same replays, newest end first.
    const feed = await getLiveFeed({ viewerId: offline!.id, limit: 10 });
    expect(feed.items.map((s) => s.id)).toEqual([second, first]);
  });
});

describe("host sets", () => {
  it("are rebuilt from Postgres when missing, and never move a session back", async () => {
    const [host, viewer] = await makeUsers(2, "lh");
    await followUser({ followerId: viewer!.id, username: host!.username });
    // Transitions write into a set nobody has built yet: it stays "missing" until read.
    const s = await scheduleSession({ hostId: host!.id, title: "x", scheduledAt: inMinutes(5) });
    expect(await readHostSets([host!.id], { goneAfter: Date.now() })).toEqual([null]);
    expect((await getLiveFeed({ viewerId: viewer!.id, limit: 10 })).items.map((x) => [x.id, x.status])).toEqual([[s.id, "upcoming"]]);
    await startSession({ sessionId: s.id, userId: host!.id });
    await engine.settle();
    expect(await readHostSets([host!.id], { goneAfter: Date.now() })).toEqual([[s.id]]);
    // A late write of an older state (a delayed request) is ignored.
    const row = { id: s.id, hostId: host!.id, scheduledMs: Date.parse(s.scheduledAt), startedMs: null, endedMs: null, cancelledMs: null };
    await writeHostEntry({ ...row, status: "upcoming" });
    expect(Number(await getRedis().zscore(hostSetKey(host!.id), s.id.padStart(19, "0")))).toBeGreaterThan(0);
    await deleteHostSet(host!.id);
    expect(await readHostSets([host!.id], { goneAfter: Date.now() })).toEqual([null]);
    // Writes to a missing set do not make it look complete.
    await writeHostEntry({ ...row, status: "upcoming" });
    expect(await readHostSets([host!.id], { goneAfter: Date.now() })).toEqual([null]);
    const feed = await getLiveFeed({ viewerId: viewer!.id, limit: 10 });
    expect(feed.items.map((x) => [x.id, x.status])).toEqual([[s.id, "live"]]);
    expect(await readHostSets([host!.id], { goneAfter: Date.now() })).toEqual([[s.id]]);
  });
});

describe("go-live notifications", () => {
  it("reach the host's followers once, with the session, but not those who muted or blocked the host", async () => {
    const [host, fan, muter, blocker] = await makeUsers(4, "ln");
    for (const u of [fan!, muter!, blocker!]) await followUser({ followerId: u.id, username: host!.username });
    await muteUser({ muterId: muter!.id, username: host!.username });
    await blockUser({ blockerId: blocker!.id, username: host!.username });
    const s = await scheduleSession({ hostId: host!.id, title: "on air", scheduledAt: inMinutes(5) });
    await startSession({ sessionId: s.id, userId: host!.id });
    await engine.settle();
    const rows = await getSql()<Array<{ recipient_id: string }>>`
      select recipient_id::text from notifications where type = 'live' and live_session_id = ${s.id}`;
    expect(rows.map((r) => r.recipient_id)).toEqual([fan!.id]);
    const { items } = await listNotifications({ userId: fan!.id, limit: 10 });
    const live = items.find((n) => n.type === "live");
    expect(live).toMatchObject({ actor: { id: host!.id }, post: null, session: { id: s.id, status: "live", title: "on air" } });
  });
});
