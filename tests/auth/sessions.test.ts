import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { sessions } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { getCurrentSession, getCurrentUser } from "@/lib/auth/current-user";
import { revokeSession, revokeUserSessions } from "@/lib/auth/sessions";
import { makeUser } from "../support/fixtures";
import { mintCookie, signIn, testAuthSecret, setRequestCookie } from "./cookie-jar";

vi.mock("next/headers", () => import("./cookie-jar"));

beforeAll(() => testAuthSecret());
afterEach(() => {
  delete process.env.SESSION_CHECK_TTL_MS;
  resetEnvCache();
});

async function currentUserWith(cookie: string | undefined) {
  setRequestCookie(cookie);
  return getCurrentUser();
}

describe("sessions that end", () => {
  it("a fresh login's cookie is a session; after signing out the same cookie is not", async () => {
    const user = await makeUser();
    const { cookie, sessionId } = await signIn(user);
    expect(await currentUserWith(cookie)).toMatchObject({ id: user.id, username: user.username });
    setRequestCookie(cookie);
    expect((await getCurrentSession())?.sessionId).toBe(sessionId);

    await revokeSession(sessionId); // what Auth.js' signOut event does
    expect(await currentUserWith(cookie)).toBeNull();
    const [row] = await getDb().select().from(sessions).where(eq(sessions.id, sessionId));
    expect(row!.revokedAt).toBeInstanceOf(Date);
  });

  it("a session revoked by another process stops working within SESSION_CHECK_TTL_MS", async () => {
    process.env.SESSION_CHECK_TTL_MS = "200";
    resetEnvCache();
    const user = await makeUser();
    const { cookie, sessionId } = await signIn(user);
    expect(await currentUserWith(cookie)).not.toBeNull(); // now remembered as active here
    // Another Next.js instance signs it out: only the shared database knows.
    await getDb().execute(sql`update sessions set revoked_at = now() where id = ${sessionId}`);
    await vi.waitFor(async () => expect(await currentUserWith(cookie)).toBeNull(), { timeout: 5000, interval: 50 });
  });

  it("signing out one session leaves the account's other sessions working", async () => {
    const user = await makeUser();
    const phone = await signIn(user);
    const laptop = await signIn(user);
    await revokeSession(phone.sessionId);
    expect(await currentUserWith(phone.cookie)).toBeNull();
    expect(await currentUserWith(laptop.cookie)).toMatchObject({ id: user.id });
  });

  it("refuses a cookie minted before sessions had rows, one naming a session that does not exist, and one naming another user's session", async () => {
    const user = await makeUser();
    const other = await makeUser();
    const { sessionId: othersSession } = await signIn(other);
    expect(await currentUserWith(await mintCookie(user))).toBeNull();
    expect(await currentUserWith(await mintCookie(user, "00000000-0000-4000-8000-000000000000"))).toBeNull();
    expect(await currentUserWith(await mintCookie(user, "not-a-uuid"))).toBeNull();
    expect(await currentUserWith(await mintCookie(user, othersSession))).toBeNull();
  });

  it("refuses cookies that do not decrypt, and no cookie at all", async () => {
    expect(await currentUserWith("authjs.session-token=garbage")).toBeNull();
    expect(await currentUserWith(undefined)).toBeNull();
  });

  it("revokeUserSessions ends every session of the account, or all but one", async () => {
    const user = await makeUser();
    const [a, b, c] = [await signIn(user), await signIn(user), await signIn(user)];
    expect(await revokeUserSessions({ userId: user.id, exceptSessionId: b.sessionId })).toBe(2);
    expect(await currentUserWith(a.cookie)).toBeNull();
    expect(await currentUserWith(b.cookie)).not.toBeNull();
    expect(await currentUserWith(c.cookie)).toBeNull();
    expect(await revokeUserSessions({ userId: user.id })).toBe(1);
    expect(await currentUserWith(b.cookie)).toBeNull();
  });
});
