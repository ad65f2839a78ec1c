// What every scenario gets: the world, direct connections to its Postgres and Redis,
// the app under test (one FEED_MODEL at a time), readers' session cookies, and the run's
// options. Scenarios return their part of the results; they never print tables.
import { Redis } from "ioredis";
import type postgres from "postgres";
import type { Account, CompleteWorldMeta } from "../world/index";
import { sessionCookie } from "./session";
import { startApp, type AppUnderTest } from "./stack";
import type { FeedModel } from "./results";

export interface RunOptions {
  /** Seconds per load-generator run at one concurrency. */
  durationS: number;
  concurrencies: number[];
  /** A tiny run that only proves the harness works (npm test). */
  smoke: boolean;
}

export interface BenchContext {
  world: CompleteWorldMeta;
  sql: postgres.Sql;
  /** The Redis the app's timelines live in, without the REST bridge. */
  redis: Redis;
  redisUrl: string;
  options: RunOptions;
  /** The app running `model`, started (and any other model's stopped) on first use. */
  app(model: FeedModel): Promise<AppUnderTest>;
  cookie(account: Account): Promise<string>;
  /** Runs the admin's requests (stats); a reader of the world, given admin rights for the run. */
  adminCookie(): Promise<string>;
  log(line: string): void;
  /** Findings worth a line in the report. */
  note(line: string): void;
}

export function createContext(opts: {
  world: CompleteWorldMeta;
  sql: postgres.Sql;
  redisUrl: string;
  databaseUrl: string;
  options: RunOptions;
  authSecret: string;
  dataDir: string;
  profileDir?: string;
  log(line: string): void;
  notes: string[];
}): BenchContext & { close(): Promise<void> } {
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 3 });
  const accounts = opts.world.accounts;
  const emailOf = (a: Account) => `${a.username}@${accounts.emailDomain}`;
  const admin = accounts.readers.follows100;
  const cookies = new Map<string, Promise<string>>();
  // Scenarios run one after another, so one app at a time, switched between models.
  let running: AppUnderTest | undefined;

  const app = async (model: FeedModel): Promise<AppUnderTest> => {
    if (running?.model === model) return running;
    if (running) {
      opts.log(`stopping the app (FEED_MODEL=${running.model})`);
      await running.stop();
      running = undefined;
    }
    opts.log(`starting the app (FEED_MODEL=${model}, production build)`);
    running = await startApp({ model, databaseUrl: opts.databaseUrl, redisUrl: opts.redisUrl, authSecret: opts.authSecret, adminEmail: emailOf(admin), dataDir: opts.dataDir, profileDir: opts.profileDir, log: opts.log });
    return running;
  };

  // A session cookie counts only with its sessions row, as if the reader had logged in;
  // the rows go again when the run ends, so the world stays as it was.
  const minted: string[] = [];
  const mintCookie = async (account: Account) => {
    const [row] = await opts.sql<{ id: string }[]>`insert into sessions (user_id) values (${account.id}) returning id`;
    minted.push(row!.id);
    return sessionCookie({ id: account.id, username: account.username, email: emailOf(account) }, row!.id, opts.authSecret);
  };
  const cookie = (account: Account) => {
    let c = cookies.get(account.id);
    if (!c) cookies.set(account.id, (c = mintCookie(account)));
    return c;
  };

  return {
    world: opts.world,
    sql: opts.sql,
    redis,
    redisUrl: opts.redisUrl,
    options: opts.options,
    app,
    cookie,
    adminCookie: () => cookie(admin),
    log: opts.log,
    note: (line) => void opts.notes.push(line),
    async close() {
      await running?.stop();
      if (minted.length > 0) await opts.sql`delete from sessions where id = any(${minted}::uuid[])`;
      redis.disconnect();
    },
  };
}
