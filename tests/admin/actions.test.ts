// The admin page's server action: the same admin rule as the API, and messages a page can
// show. Next's cache is the one Next.js piece stubbed (there is no request to revalidate).
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { revalidatePath } from "next/cache";
import { closeDb } from "@/db";
import { flagSuperstarAction } from "@/app/actions/admin";
import { makeUser, suffix } from "../support/fixtures";
import { logInAs } from "../support/session";
import { userRow } from "../users/fixtures";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
  vi.mocked(revalidatePath).mockClear();
});

describe("flagSuperstarAction", () => {
  it("flags for an admin, idempotently, and refreshes the admin page and the profile", async () => {
    const target = await makeUser();
    logInAs(await makeUser(), true);
    expect(await flagSuperstarAction({ username: target.username })).toEqual({ ok: true });
    expect(await flagSuperstarAction({ username: target.username })).toEqual({ ok: true });
    expect((await userRow(target.id)).isSuperstar).toBe(true);
    expect(vi.mocked(revalidatePath).mock.calls.map(([path]) => path)).toContain("/admin");
    expect(vi.mocked(revalidatePath).mock.calls.map(([path]) => path)).toContain(`/u/${target.username}`);
  });

  it("refuses a non-admin and a logged-out visitor with a readable message", async () => {
    const target = await makeUser();
    expect(await flagSuperstarAction({ username: target.username })).toEqual({ error: "Your session has ended: log in again." });
    logInAs(await makeUser());
    expect(await flagSuperstarAction({ username: target.username })).toEqual({ error: "Only admins can do that." });
    expect((await userRow(target.id)).isSuperstar).toBe(false);
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("says so for an unknown user or a missing name", async () => {
    logInAs(await makeUser(), true);
    expect(await flagSuperstarAction({ username: `nobody_${suffix()}` })).toEqual({ error: "User was not found." });
    expect(await flagSuperstarAction({ username: "" })).toEqual(expect.objectContaining({ error: expect.any(String) }));
  });
});
