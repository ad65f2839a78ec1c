// Mute and unmute: lib/relationships/mute.ts and POST/DELETE /api/v1/users/{username}/mute.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { muteUser, unmuteUser } from "@/lib/relationships/mute";
import { blockUser } from "@/lib/relationships/block";
import { relationshipOf } from "@/lib/relationships/queries";
import { makeUser, makeUsers, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";
import { appErrorOf } from "../support/app-error";
import { api, muteRows, relationEvents } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

beforeEach(() => {
  logInAs(null);
});

describe("muteUser / unmuteUser", () => {
  it("mutes once however often it is asked, and sends one event per real change", async () => {
    const [alice, bob] = await makeUsers(2, "mu");
    expect(await muteUser({ muterId: alice!.id, username: bob!.username })).toEqual({ muting: true });
    expect(await muteUser({ muterId: alice!.id, username: bob!.username.toUpperCase() })).toEqual({ muting: true });
    expect(await muteRows(alice!.id, bob!.id)).toBe(1);
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["mute"]);

    expect(await unmuteUser({ muterId: alice!.id, username: bob!.username })).toEqual({ muting: false });
    expect(await unmuteUser({ muterId: alice!.id, username: bob!.username })).toEqual({ muting: false });
    expect(await muteRows(alice!.id, bob!.id)).toBe(0);
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["mute", "unmute"]);
  });

  it("unmuting someone never muted changes nothing and sends nothing", async () => {
    const [alice, bob] = await makeUsers(2, "mun");
    expect(await unmuteUser({ muterId: alice!.id, username: bob!.username })).toEqual({ muting: false });
    expect(await relationEvents(alice!.id, bob!.id)).toEqual([]);
  });

  it("is one-way: the muted user's view of the muter is unchanged", async () => {
    const [alice, bob] = await makeUsers(2, "mu1");
    await muteUser({ muterId: alice!.id, username: bob!.username });
    expect(await relationshipOf(alice!.id, bob!.id)).toMatchObject({ muting: true, blocking: false, blockedBy: false });
    expect(await relationshipOf(bob!.id, alice!.id)).toMatchObject({ muting: false, blocking: false, blockedBy: false });
    expect(await muteRows(bob!.id, alice!.id)).toBe(0);
  });

  it("refuses to mute yourself (400 self_mute) and sends nothing", async () => {
    const alice = await makeUser();
    for (const op of [muteUser, unmuteUser]) {
      const error = await appErrorOf(op({ muterId: alice.id, username: alice.username }));
      expect([error.status, error.code]).toEqual([400, "self_mute"]);
    }
    expect(await relationEvents(alice.id, alice.id)).toEqual([]);
  });

  it("still lets you mute someone who blocked you", async () => {
    const [alice, bob] = await makeUsers(2, "mub");
    await blockUser({ blockerId: bob!.id, username: alice!.username });
    expect(await muteUser({ muterId: alice!.id, username: bob!.username })).toEqual({ muting: true });
    expect(await muteRows(alice!.id, bob!.id)).toBe(1);
  });
});

describe("POST and DELETE /api/v1/users/{username}/mute", () => {
  it("mutes → {muting: true} and unmutes → {muting: false}, idempotently", async () => {
    const [alice, bob] = await makeUsers(2, "mapi");
    logInAs(alice!);
    for (let i = 0; i < 2; i++) expect(await api.mute(bob!.username)).toEqual({ status: 200, body: { muting: true } });
    expect(await muteRows(alice!.id, bob!.id)).toBe(1);
    for (let i = 0; i < 2; i++) expect(await api.unmute(bob!.username)).toEqual({ status: 200, body: { muting: false } });
    expect(await muteRows(alice!.id, bob!.id)).toBe(0);
    expect(await relationEvents(alice!.id, bob!.id)).toEqual(["mute", "unmute"]);
  });

  it("is 401 logged out, 400 self_mute for yourself, 404 for an unknown user", async () => {
    const [alice, bob] = await makeUsers(2, "merr");
    for (const op of [api.mute, api.unmute]) {
      const out = await op<ErrorBody>(bob!.username);
      expect([out.status, out.body.error.code]).toEqual([401, "unauthenticated"]);
    }
    expect(await muteRows(alice!.id, bob!.id)).toBe(0);

    logInAs(alice!);
    for (const op of [api.mute, api.unmute]) {
      const self = await op<ErrorBody>(alice!.username);
      expect([self.status, self.body.error.code]).toEqual([400, "self_mute"]);
      const unknown = await op<ErrorBody>("nobody_mutes_this_42");
      expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
    }
  });
});
