// A backing service out of reach is a 503 `unavailable` with Retry-After in the API and a
// "try again" message in server actions, never a 500. The errors are real ones: a refused
// Postgres connection, a statement timeout, a terminated session, an unreachable Redis.
import { NextRequest } from "next/server";
import postgres from "postgres";
import { describe, expect, it, vi } from "vitest";
import { toActionState } from "@/lib/actions/run-action";
import { errorResponse } from "@/lib/api/route";
import { asUnavailable } from "@/lib/errors";
import { nodeHttpRequester } from "@/lib/redis-transport";
import { freePort } from "@/scripts/local/problems";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const req = new NextRequest("http://localhost:3000/api/v1/feed");

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

async function withClient<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function expect503(error: unknown) {
  const res = errorResponse(error, req);
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
  expect((await res.json()) as unknown).toMatchObject({ error: { code: "unavailable" } });
  expect(toActionState(error, { action: "test" }).error).toMatch(/try again/i);
}

describe("a backing service out of reach", () => {
  it("Postgres refusing connections (restarting) is a 503", async () => {
    const url = `postgres://nobody@127.0.0.1:${await freePort()}/none`;
    const error = await failure(() => withClient(url, (sql) => sql`select 1`));
    expect(asUnavailable(error)).toBeDefined();
    await expect503(error);
  });

  it("a statement timeout is a 503", async () => {
    const error = await failure(() =>
      withClient(process.env.DATABASE_URL!, (sql) => sql.begin(async (tx) => {
        await tx`set local statement_timeout = 50`;
        await tx`select pg_sleep(2)`;
      })),
    );
    expect((error as { code?: string }).code).toBe("57014");
    await expect503(error);
  });

  it("a query cut off by a server shutdown (admin_shutdown), or its connection closed, is a 503", async () => {
    const url = process.env.DATABASE_URL!;
    const error = await withClient(url, async (victim) => {
      const [{ pid }] = (await victim`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
      const running = failure(() => victim`select pg_sleep(10)`);
      await withClient(url, async (admin) => {
        // Wait until the sleep is running, then end its session as a shutdown would.
        while ((await admin`select 1 from pg_stat_activity where pid = ${pid} and state = 'active'`).length === 0);
        await admin`select pg_terminate_backend(${pid})`;
      });
      return running;
    });
    // postgres.js reports the server's FATAL 57P01 as the connection closing under the query.
    expect(["57P01", "CONNECTION_CLOSED"]).toContain((error as { code?: string }).code);
    await expect503(error);
  });

  it("knows the connection-level codes by name, also wrapped (as Drizzle wraps query errors)", () => {
    for (const code of ["57P01", "57P03", "57014", "08006", "CONNECT_TIMEOUT", "ECONNRESET", "ECONNREFUSED"]) {
      const error = Object.assign(new Error(code), { code });
      expect(asUnavailable(error), code).toBeDefined();
      expect(asUnavailable(new Error("Failed query", { cause: error })), `wrapped ${code}`).toBeDefined();
    }
    for (const code of ["23505", "22012", "42P01", undefined]) expect(asUnavailable(Object.assign(new Error("x"), { code }))).toBeUndefined();
  });

  it("Redis out of reach is a 503 that says so", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const requester = nodeHttpRequester({ url, token: "t" });
    const error = await failure(() => requester.request({ body: ["ping"] }));
    await expect503(error);
    expect(asUnavailable(error)!.message).toMatch(/Redis/);
  });

  it("anything else is still a 500 with a generic message", async () => {
    const error = await failure(() => withClient(process.env.DATABASE_URL!, (sql) => sql`select 1/0`));
    expect(asUnavailable(error)).toBeUndefined();
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(errorResponse(error, req).status).toBe(500);
    } finally {
      spy.mockRestore();
    }
  });
});
