// The schema's own guarantees, checked against the real Postgres of this test run.
import { afterAll, describe, expect, it } from "vitest";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { closeDb, getDb, getSql } from "@/db";
import { follows, likes, posts, users } from "@/db/schema";
import { makeUser } from "../support/fixtures";


/** The Postgres error code a failed statement carries (drizzle wraps the driver's error). */
async function pgCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code;
  }
  return undefined;
}

afterAll(closeDb);

describe("schema", () => {
  it("gives string ids and millisecond timestamps", async () => {
    const user = await makeUser();
    expect(user.id).toMatch(/^\d+$/);
    const [post] = await getDb().insert(posts).values({ authorId: user.id, content: "hello" }).returning();
    expect(post!.id).toMatch(/^\d+$/);
    const [{ micros }] = (await getSql()`select extract(microseconds from created_at)::bigint % 1000 as micros from posts where id = ${post!.id}`) as unknown as [{ micros: string }];
    expect(Number(micros)).toBe(0);
  });

  it("keeps usernames unique and well-formed, emails unique case-insensitively", async () => {
    const user = await makeUser();
    expect(await pgCode(makeUser({ username: user.username }))).toBe("23505");
    expect(await pgCode(makeUser({ email: user.email.toUpperCase() }))).toBe("23505");
    expect(await pgCode(makeUser({ username: "Has Caps" }))).toBe("23514");
    expect(await pgCode(makeUser({ username: "ab" }))).toBe("23514");
  });

  it("refuses self-follows and duplicate follows and likes", async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    expect(await pgCode(getDb().insert(follows).values({ followerId: a.id, followeeId: a.id }))).toBe("23514");
    await getDb().insert(follows).values({ followerId: a.id, followeeId: b.id });
    expect(await pgCode(getDb().insert(follows).values({ followerId: a.id, followeeId: b.id }))).toBe("23505");
    const [post] = await getDb().insert(posts).values({ authorId: b.id, content: "x" }).returning();
    await getDb().insert(likes).values({ userId: a.id, postId: post!.id });
    expect(await pgCode(getDb().insert(likes).values({ userId: a.id, postId: post!.id }))).toBe("23505");
  });

  // Empty content is allowed by the table since a post may be images only (lib/posts/create-post.ts refuses an empty post without).
  it("refuses negative counters and over-long posts", async () => {
    const user = await makeUser();
    expect(await pgCode(getDb().insert(posts).values({ authorId: user.id, content: "x".repeat(2001) }))).toBe("23514");
    expect(await pgCode(getDb().update(users).set({ followersCount: -1 }).where(eq(users.id, user.id)))).toBe("23514");
  });

  it("pages an author's live posts newest first by (created_at, id) keyset, skipping deleted ones", async () => {
    const author = await makeUser();
    const at = new Date("2026-01-01T00:00:00.000Z");
    // Five posts in the same millisecond: the id must break the tie.
    const rows = await getDb()
      .insert(posts)
      .values(Array.from({ length: 5 }, (_, i) => ({ authorId: author.id, content: `p${i}`, createdAt: at })))
      .returning();
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, rows[2]!.id));

    const page = (cursor?: { createdAt: Date; id: string }) =>
      getDb()
        .select({ id: posts.id, createdAt: posts.createdAt })
        .from(posts)
        .where(
          and(
            eq(posts.authorId, author.id),
            isNull(posts.deletedAt),
            cursor
              ? or(lt(posts.createdAt, cursor.createdAt), and(eq(posts.createdAt, cursor.createdAt), sql`${posts.id} < ${cursor.id}`))
              : undefined,
          ),
        )
        .orderBy(desc(posts.createdAt), sql`${posts.id} desc`)
        .limit(2);

    const first = await page();
    const second = await page(first[1]);
    const third = await page(second[1]);
    const expected = rows.map((r) => r.id).filter((id) => id !== rows[2]!.id).reverse();
    expect([...first, ...second, ...third].map((r) => r.id)).toEqual(expected);

    // A tiny table would be seq-scanned anyway: ask whether the index *can* serve the query.
    const plan = await getSql().begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      await tx`set local enable_sort = off`;
      return tx.unsafe(
        `explain select id from posts where author_id = ${author.id} and deleted_at is null order by created_at desc, id desc limit 20`,
      );
    });
    const text = plan.map((r) => String(Object.values(r)[0])).join("\n");
    expect(text).toContain("posts_author_created_idx");
    expect(text).not.toContain("Sort");
  });
});
