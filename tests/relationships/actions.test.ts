// The server actions behind the profile page's More area (app/actions/relationships.ts):
// they act through the same lib/ functions as the API, and any argument a caller sends
// ends as an error state, never a throw.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setBlockAction, setMuteAction, setShowRepostsAction } from "@/app/actions/relationships";
import { followUser } from "@/lib/follows/follow";
import { makeUsers } from "../support/fixtures";
import { logInAs } from "../support/session";
import { blockRows, muteRows, relationEvents, showRepostsOf } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

beforeEach(() => {
  logInAs(null);
});

describe("relationship server actions", () => {
  it("mute, block and show-reposts change the relationship and answer its new state", async () => {
    const [alice, bob, carol] = await makeUsers(3, "act");
    logInAs(alice!);
    expect(await setMuteAction({ username: bob!.username, mute: true })).toEqual({ ok: true, muting: true });
    expect(await muteRows(alice!.id, bob!.id)).toBe(1);
    expect(await setMuteAction({ username: bob!.username, mute: false })).toEqual({ ok: true, muting: false });
    expect(await muteRows(alice!.id, bob!.id)).toBe(0);

    await followUser({ followerId: alice!.id, username: carol!.username });
    expect(await setShowRepostsAction({ username: carol!.username, showReposts: false })).toEqual({ ok: true, showReposts: false });
    expect(await showRepostsOf(alice!.id, carol!.id)).toBe(false);

    expect(await setBlockAction({ username: carol!.username, block: true })).toEqual({ ok: true, blocking: true });
    expect(await blockRows(alice!.id, carol!.id)).toBe(1);
    expect(await showRepostsOf(alice!.id, carol!.id)).toBeUndefined();
    expect(await setBlockAction({ username: carol!.username, block: false })).toEqual({ ok: true, blocking: false });
    expect(await relationEvents(alice!.id, carol!.id)).toEqual(["hide-reposts", "block", "unblock"]);
  });

  it("shows refusals as the error state: logged out, yourself, not following", async () => {
    const [alice, bob] = await makeUsers(2, "acte");
    expect((await setMuteAction({ username: bob!.username, mute: true })).error).toMatch(/log in/i);
    logInAs(alice!);
    expect((await setBlockAction({ username: alice!.username, block: true })).error).toMatch(/yourself/);
    expect((await setShowRepostsAction({ username: bob!.username, showReposts: false })).error).toMatch(/follow them first/);
    expect(await muteRows(alice!.id, bob!.id)).toBe(0);
  });

  it.each([undefined, null, 5, "text", [], {}, { username: 5 }, { username: "x", mute: "yes" }, new Map(), 10n])(
    "answers malformed arguments (%s) with an error state",
    async (value) => {
      const [alice] = await makeUsers(1, "actm");
      logInAs(alice!);
      for (const action of [setMuteAction, setBlockAction, setShowRepostsAction] as ((arg: unknown) => Promise<{ error?: string }>)[]) {
        expect((await action(value)).error, action.name).toEqual(expect.any(String));
      }
    },
  );
});
