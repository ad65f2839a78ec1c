// The embedded Postgres stand-in itself: persistence, recovery after the launcher is
// SIGKILLed, and a one-line explanation when its port is taken.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/scripts/local/postgres";
import { LocalServiceError, freePort } from "@/scripts/local/problems";

const dirs: string[] = [];
async function tempDataDir() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "starling-pg-test-"));
  dirs.push(dir);
  return path.join(dir, "postgres");
}
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function query<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

describe("embedded Postgres", () => {
  it("keeps data across a stop and a start", async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    await query(first.url, (sql) => sql`create table kept (v text); insert into kept values ('still here')`.simple());
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port });
    const rows = await query(second.url, (sql) => sql`select v from kept`);
    await second.stop();
    expect(rows).toEqual([{ v: "still here" }]);
  });

  it("recovers a server left running by a SIGKILLed launcher", async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "tests/local/fixtures/start-embedded-postgres.ts", dataDir, String(port)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      child.once("exit", (code) => reject(new Error(`fixture exited early (${code})`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const pidFile = await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8");
    const orphan = Number(pidFile.split("\n")[0]);
    expect(() => process.kill(orphan, 0)).not.toThrow(); // the postgres child outlived its parent

    const pg = await startEmbeddedPostgres({ dataDir, port });
    const [{ ok }] = await query(pg.url, (sql) => sql<[{ ok: number }]>`select 1 as ok`);
    await pg.stop();
    expect(ok).toBe(1);
    expect(() => process.kill(orphan, 0)).toThrow();
  }, 60_000);

  it("explains a taken port in one line", async () => {
    const server = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const error = await startEmbeddedPostgres({ dataDir: await tempDataDir(), port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LocalServiceError);
      expect((error as Error).message).toMatch(new RegExp(`Port ${port} .* taken.*LOCAL_POSTGRES_PORT`));
      expect((error as Error).message).not.toContain("\n");
    } finally {
      server.close();
    }
  });
});
