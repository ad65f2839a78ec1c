// Post search against the real Postgres: words, #tags, CJK substrings, newest first,
// exact paging, deleted posts and blocked viewers, and the indexes the statements use.
import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { closeDb, getDb, getSql } from "@/db";
import { blocks, posts } from "@/db/schema";
import { encodeCursor } from "@/lib/cursor";
import type { PostDto } from "@/lib/posts/dto";
import { searchPosts, searchPostsQuery } from "@/lib/search/posts";
import { parsePostQuery } from "@/lib/search/syntax";
import { makeUser, suffix } from "../support/fixtures";
import { appErrorOf } from "../support/app-error";
import { insertPosts } from "../posts/support";

afterAll(closeDb);

/** A word no other test's post contains (letters only: one token for full-text search). */
const word = () =>
  `w${suffix()}`.replace(/\d/g, (d) => "ghijklmnop"[Number(d)]!);

const base = Date.parse("2026-05-01T12:00:00.000Z");
const at = (minutes: number) => new Date(base + minutes * 60_000);

async function ids(q: string, viewerId: string | null = null, limit = 100) {
  return (await searchPosts({ q, limit, viewerId })).items.map((p) => p.id);
}

async function readAll(q: string, limit: number) {
  const items: PostDto[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await searchPosts({ q, cursor, limit, viewerId: null });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 200);
  return items;
}

describe("searchPosts: words", () => {
  it("finds posts with every word, in any case and position, newest first", async () => {
    const [a, b] = [word(), word()];
    const author = await makeUser();
    const [both, onlyA, bothUpper, glued] = await insertPosts(author.id, [
      { content: `first ${a} and ${b}`, createdAt: at(1) },
      { content: `only ${a} here`, createdAt: at(2) },
      { content: `${b.toUpperCase()}, then ${a.toUpperCase()}!`, createdAt: at(3) },
      { content: `${a}${b} glued is another word`, createdAt: at(4) },
    ]);
    expect(await ids(`${a} ${b}`)).toEqual([bothUpper!.id, both!.id]);
    expect(await ids(a)).toEqual([bothUpper!.id, onlyA!.id, both!.id]);
    expect(await ids(`${a}${b}`)).toEqual([glued!.id]);
    // Nothing searchable (only punctuation): no results, not an error.
    expect(await ids("?!…")).toEqual([]);
  });
});

describe("searchPosts: hashtags", () => {
  it("matches the whole #tag in any case, not longer tags and not the bare word", async () => {
    const tag = word();
    const author = await makeUser();
    const [tagged, upper, punct, , , reply] = await insertPosts(author.id, [
      { content: `I love #${tag}`, createdAt: at(1) },
      { content: `#${tag.toUpperCase()} at the start`, createdAt: at(2) },
      { content: `so (#${tag}), yes`, createdAt: at(3) },
      { content: `#${tag}alog is a different tag`, createdAt: at(4) },
      { content: `${tag} as a plain word, and x#${tag} glued`, createdAt: at(5) },
      { content: `with #other and #${tag}_ more? no: #${tag}.`, createdAt: at(6) },
    ]);
    expect(await ids(`#${tag}`)).toEqual([reply!.id, punct!.id, upper!.id, tagged!.id]);
    expect(await ids(`#${tag.toUpperCase()}`)).toEqual([reply!.id, punct!.id, upper!.id, tagged!.id]);
    // A word and a tag together: both must be there.
    expect(await ids(`love #${tag}`)).toEqual([tagged!.id]);
    // The bare word finds the tagged posts and the plain one (a tag is a word too).
    expect(await ids(tag)).toHaveLength(5);
  });

  it("matches hashtags in other scripts", async () => {
    const w = word();
    const author = await makeUser();
    const [tokyo, cafe] = await insertPosts(author.id, [
      { content: `${w} 今日は #東京タワー へ`, createdAt: at(1) },
      { content: `${w} un #café noir`, createdAt: at(2) },
    ]);
    expect((await ids("#東京タワー")).filter((id) => id === tokyo!.id)).toEqual([tokyo!.id]);
    expect(await ids(`${w} #東京タワー`)).toEqual([tokyo!.id]);
    expect(await ids(`${w} #東京`)).toEqual([]);
    expect(await ids(`${w} #café`)).toEqual([cafe!.id]);
  });
});

describe("searchPosts: CJK", () => {
  it("finds Chinese and Japanese text by a 2–5 character substring", async () => {
    const author = await makeUser();
    const [chinese, japanese, mixed] = await insertPosts(author.id, [
      { content: "你好世界，今天天气很好", createdAt: at(1) },
      { content: "今日は東京タワーに行きました", createdAt: at(2) },
      { content: "Tokyo 東京タワー was tall", createdAt: at(3) },
    ]);
    const mine = async (q: string) => (await ids(q)).filter((id) => [chinese!.id, japanese!.id, mixed!.id].includes(id));
    expect(await mine("你好世界")).toEqual([chinese!.id]);
    expect(await mine("好世")).toEqual([chinese!.id]);
    expect(await mine("世界，")).toEqual([chinese!.id]);
    expect(await mine("東京タワー")).toEqual([mixed!.id, japanese!.id]);
    expect(await mine("京タワ")).toEqual([mixed!.id, japanese!.id]);
    expect(await mine("タワ")).toEqual([mixed!.id, japanese!.id]);
    expect(await mine("東京 tokyo")).toEqual([mixed!.id]);
    expect(await mine("大阪")).toEqual([]);
  });
});

describe("searchPosts: paging and visibility", () => {
  it("pages every match once, newest first, for any page size (ties in the same millisecond by id)", async () => {
    const w = word();
    const author = await makeUser();
    const rows = await insertPosts(
      author.id,
      Array.from({ length: 23 }, (_, i) => ({ content: `${w} number ${i}`, createdAt: at(Math.floor(((i * 7) % 23) / 3)) })),
    );
    const expected = [...rows]
      .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (BigInt(y.id) > BigInt(x.id) ? 1 : -1))
      .map((r) => r.id);
    for (const limit of [1, 5, 23, 100]) expect((await readAll(w, limit)).map((p) => p.id)).toEqual(expected);
    const first = await searchPosts({ q: w, limit: 23, viewerId: null });
    expect(first.nextCursor).toBeNull();
  });

  it("never shows deleted posts, nor an author's posts to a viewer they blocked", async () => {
    const w = word();
    const [author, blocker, viewer] = [await makeUser(), await makeUser(), await makeUser()];
    const [kept, deleted] = await insertPosts(author.id, [
      { content: `${w} kept`, createdAt: at(1) },
      { content: `${w} deleted`, createdAt: at(2) },
    ]);
    const [blockers] = await insertPosts(blocker.id, [{ content: `${w} #${w} 東京タワー by the blocker`, createdAt: at(3) }]);
    await getDb().update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted!.id));
    await getDb().insert(blocks).values({ blockerId: blocker.id, blockedId: viewer.id });

    expect(await ids(w)).toEqual([blockers!.id, kept!.id]);
    expect(await ids(w, viewer.id)).toEqual([kept!.id]);
    expect(await ids(`#${w}`, viewer.id)).toEqual([]);
    expect((await ids("東京タワー", viewer.id)).includes(blockers!.id)).toBe(false);
    expect((await ids("東京タワー", author.id)).includes(blockers!.id)).toBe(true);
  });

  it("returns the API's Post with the viewer's like state; 400 for a malformed cursor", async () => {
    const w = word();
    const author = await makeUser();
    const [post] = await insertPosts(author.id, [{ content: `${w} shape`, createdAt: at(1) }]);
    const { items } = await searchPosts({ q: w, limit: 5, viewerId: null });
    expect(items).toEqual([
      {
        id: post!.id,
        author: { id: author.id, username: author.username, displayName: author.displayName, avatarUrl: null },
        content: `${w} shape`,
        createdAt: at(1).toISOString(),
        likeCount: 0,
        replyCount: 0,
        repostCount: 0,
        likedByMe: false,
        repostedByMe: false,
        replyTo: null,
        media: [],
      },
    ]);
    for (const cursor of ["%%%", "bm90LWEtY3Vyc29y"]) {
      expect(await appErrorOf(searchPosts({ q: w, cursor, limit: 5, viewerId: null }))).toMatchObject({ status: 400, code: "invalid_cursor" });
    }
    expect((await searchPosts({ q: w, cursor: encodeCursor({ t: 0, id: "1" }), limit: 5, viewerId: null })).items).toEqual([]);
  });
});

describe("searchPosts: indexes", () => {
  // The plans of a realistic table: 20,000 posts written and ANALYZEd inside a transaction
  // that is rolled back, so no other test ever sees them.
  it("finds words and tags through the full-text index, and CJK terms through the trigram index", async () => {
    const author = await makeUser();
    const plans: Record<string, string> = {};
    const rollback = new Error("rollback");
    await getSql()
      .begin(async (tx) => {
        await tx`insert into posts (author_id, content, created_at)
          select ${author.id}, 'filler post number ' || i || ' about ' || md5(i::text), now() - i * interval '1 second'
          from generate_series(1, 20000) i`;
        await tx`analyze posts`;
        await tx`set local enable_seqscan = off`;
        for (const q of ["hello world", "#hello", "東京タワー"]) {
          const query = searchPostsQuery({ query: parsePostQuery(q)!, after: { t: Date.now(), id: "9000000000000000000" }, limit: 21, viewerId: "1" });
          const rows = await tx`explain ${query}`;
          plans[q] = rows.map((r) => String(Object.values(r)[0])).join("\n");
        }
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    expect(plans["hello world"]).toMatch(/Bitmap Index Scan on posts_content_fts_idx/);
    expect(plans["#hello"]).toMatch(/Bitmap Index Scan on posts_content_fts_idx/);
    expect(plans["東京タワー"]).toMatch(/Bitmap Index Scan on posts_content_trgm_idx/);
  });
});
