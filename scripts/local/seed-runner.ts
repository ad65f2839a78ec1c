// Seeds the demo world into a database that has no users yet. Shared by `npm run seed`
// and the launcher's first start.
import { hash } from "@node-rs/argon2";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { DEMO_LOGIN, seedDemoWorld, type SeedSummary } from "@/db/seed";

export type SeedOutcome = { seeded: true; summary: SeedSummary; ms: number } | { seeded: false; existingUsers: number };

export async function seedIfEmpty(databaseUrl: string, opts: { reset?: boolean } = {}): Promise<SeedOutcome> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    if (opts.reset) await sql`truncate users, follows, posts, likes restart identity cascade`;
    const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from users`;
    if (n > 0) return { seeded: false, existingUsers: n };
    const started = Date.now();
    // One hash for every demo account: they share the demo password, and 300 argon2
    // hashes would take ~20 s.
    const passwordHash = await hash(DEMO_LOGIN.password);
    const summary = await seedDemoWorld(drizzle(sql, { schema, casing: "snake_case" }), { passwordHash });
    return { seeded: true, summary, ms: Date.now() - started };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function describeSeed(outcome: Extract<SeedOutcome, { seeded: true }>): string[] {
  const s = outcome.summary;
  return [
    `seeded the demo world: ${s.users} users, ${s.follows} follows, ${s.posts} posts, ${s.likes} likes (${outcome.ms} ms)`,
    `demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`,
  ];
}
