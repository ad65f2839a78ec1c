// The demo world: counters agree with the rows, the demo login works, the graph is skewed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb, getSql } from "@/db";
import { DEMO_LOGIN, seedDemoWorld, type SeedSummary } from "@/db/seed";
import { hashPassword, verifyPassword } from "@/lib/auth/password";

let summary: SeedSummary;

// Other test files write to this run's database at the same time: look only at the
// seeded accounts, which alone use the @starling.test domain.
const SEEDED = "%@starling.test";

beforeAll(async () => {
  summary = await seedDemoWorld(getDb(), { passwordHash: await hashPassword(DEMO_LOGIN.password), userCount: 200, seed: 7 });
}, 60_000);
afterAll(closeDb);

describe("seedDemoWorld", () => {
  it("creates the requested world", () => {
    expect(summary.users).toBe(200);
    expect(summary.follows).toBeGreaterThan(1000);
    expect(summary.posts).toBeGreaterThan(500);
    expect(summary.likes).toBeGreaterThan(500);
  });

  it("keeps every denormalised counter equal to its rows", async () => {
    const drift = await getSql()`
      select u.username from users u
      where u.email like ${SEEDED} and (
        u.followers_count <> (select count(*) from follows f where f.followee_id = u.id) or
        u.following_count <> (select count(*) from follows f where f.follower_id = u.id) or
        u.posts_count <> (select count(*) from posts p where p.author_id = u.id and p.deleted_at is null))
      union all
      select p.id::text from posts p join users u on u.id = p.author_id
      where u.email like ${SEEDED} and p.like_count <> (select count(*) from likes l where l.post_id = p.id)`;
    expect(drift).toEqual([]);
  });

  it("has a working demo login", async () => {
    const [demo] = await getSql()<[{ password_hash: string }]>`select password_hash from users where email = ${DEMO_LOGIN.email}`;
    expect(await verifyPassword(demo!.password_hash, DEMO_LOGIN.password)).toBe(true);
    expect(await verifyPassword(demo!.password_hash, "wrong password")).toBe(false);
  });

  it("has a skewed follower distribution with very popular accounts", async () => {
    const counts = (await getSql()<Array<{ n: number }>>`
      select followers_count as n from users where email like ${SEEDED} order by n desc`).map((r) => r.n);
    expect(counts[0]).toBeGreaterThan(0.8 * 200);
    expect(counts[Math.floor(counts.length / 2)]).toBeLessThan(30);
  });
});
