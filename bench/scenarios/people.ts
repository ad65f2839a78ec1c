// Finding people (issue 13), through the real app over HTTP like the feed reads: people
// search (a mix of exact handles, prefixes and misspelt names of the world's users), post
// search (words of the world's posts, and its #hashtags, popular and rare), and who to
// follow for a new reader (no follows), one following about 200 and reader_2000. Every
// query and reader is checked first: a benchmark of empty answers would measure nothing.
import type { BenchContext } from "../harness/context";
import { runLoad } from "../harness/load";
import type { LoadResult, PeopleSeries } from "../harness/results";
import type { AppUnderTest } from "../harness/stack";
import { TAGS } from "../world/content";
import { flagFailures } from "./reads";

/** Words the world's posts are made of (bench/world/content.ts): common and rarer ones, one or two at a time. */
const WORDS = ["coffee", "garden", "keyboard", "fresh bread", "underrated", "morning", "city night", "conference", "cat", "hike"];
const SAMPLE_USERS = 10;

interface Query {
  path: string;
  /** When set, the first result must be this user (an exact handle). */
  first?: string;
}

export async function measurePeople(ctx: BenchContext): Promise<PeopleSeries[]> {
  const app = await ctx.app("hybrid");
  // Searches are made by a logged-in reader, as the search box does (blocks are checked).
  const searcher = await ctx.cookie(ctx.world.accounts.readers.follows100);
  const users = await ctx.sql<Array<{ username: string; name: string }>>`
    select username, display_name as name from users
    where id <= ${ctx.world.maxUserId}::int8 order by (id * 2654435761) % 1000003 limit ${SAMPLE_USERS}`;
  const exact = users.map((u): Query => ({ path: usersPath(u.username), first: u.username }));
  const prefixes = users.map((u, i): Query => ({ path: usersPath(i % 2 === 0 ? u.username.slice(0, -2) : `${u.name.split(" ")[0]} ${u.name.split(" ")[1]?.slice(0, 2) ?? ""}`.trim()) }));
  const misspelt = users.map((u, i): Query => ({ path: usersPath(typo(u.name, i)) }));
  // Interleaved, so every stretch of the load asks a bit of each.
  const userQueries = exact.flatMap((q, i) => [q, prefixes[i]!, misspelt[i]!]);

  const series: PeopleSeries[] = [];
  series.push(
    await measure(ctx, app, "search/users", `${userQueries.length} queries: ${exact.length} exact handles, ${prefixes.length} prefixes of handles and names, ${misspelt.length} misspelt names`, userQueries, [searcher]),
  );
  series.push(await measure(ctx, app, "search/posts", `${WORDS.length} word queries (${WORDS.map((w) => `"${w}"`).join(", ")})`, WORDS.map((w) => ({ path: postsPath(w) })), [searcher]));
  series.push(await measure(ctx, app, "search/posts", `${TAGS.length} hashtags, popular to rare (#${TAGS[0]} … #${TAGS.at(-1)})`, TAGS.map((t) => ({ path: postsPath(`#${t}`) })), [searcher]));

  for (const reader of await suggestionReaders(ctx)) {
    const cookie = await ctx.cookie(reader);
    series.push(await measure(ctx, app, "suggestions", `${reader.username} (follows ${reader.following})`, [{ path: "/api/v1/suggestions" }], [cookie]));
  }
  return series;
}

/** A new reader (following nobody), an ordinary one following about 200, and reader_2000. */
async function suggestionReaders(ctx: BenchContext): Promise<Array<{ id: string; username: string; following: number }>> {
  const [fresh] = await ctx.sql<Array<{ id: string; username: string; following: number }>>`
    select id::text, username, following_count as following from users
    where id <= ${ctx.world.maxUserId}::int8 and following_count = 0 order by id limit 1`;
  const [near200] = await ctx.sql<Array<{ id: string; username: string; following: number }>>`
    select id::text, username, following_count as following from users
    where id <= ${ctx.world.maxUserId}::int8 and not is_superstar and username like 'user\\_%'
    order by abs(following_count - 200), id limit 1`;
  if (!fresh) ctx.note("People: the world has no account following nobody, so suggestions for a new reader were not measured");
  const r2000 = ctx.world.accounts.readers.follows2000;
  return [...(fresh ? [fresh] : []), ...(near200 ? [near200] : []), { id: r2000.id, username: r2000.username, following: r2000.following }];
}

async function measure(ctx: BenchContext, app: AppUnderTest, endpoint: PeopleSeries["endpoint"], detail: string, queries: Query[], cookies: string[]): Promise<PeopleSeries> {
  const counts: number[] = [];
  for (const q of queries) counts.push(await checkedAnswer(app, q, cookies[0]!));
  const paths = queries.map((q) => q.path);
  const cookie = cookies[0];
  const url = app.url + paths[0]!;
  await runLoad({ url, paths, cookie, connections: Math.max(...ctx.options.concurrencies), durationS: Math.min(2, ctx.options.durationS) });
  const loads: LoadResult[] = [];
  for (const connections of ctx.options.concurrencies) {
    const load = await runLoad({ url, paths, cookie, connections, durationS: ctx.options.durationS });
    ctx.log(`  ${endpoint} ${detail.slice(0, 40)} c=${connections}: ${load.rps} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms`);
    flagFailures(ctx, `${endpoint} (${detail}) c=${connections}`, load);
    loads.push(load);
  }
  return { endpoint, detail, items: { min: Math.min(...counts), max: Math.max(...counts) }, loads };
}

/** One answer, checked: a 200 with at least one item, the exact handle first when one was asked. */
async function checkedAnswer(app: AppUnderTest, q: Query, cookie: string): Promise<number> {
  const res = await fetch(app.url + q.path, { headers: { cookie } });
  const body = (await res.json()) as { items?: Array<{ username?: string }> };
  if (res.status !== 200 || !Array.isArray(body.items) || body.items.length === 0) {
    throw new Error(`GET ${q.path} answered ${res.status} with ${JSON.stringify(body).slice(0, 300)}: nothing to measure`);
  }
  if (q.first && body.items[0]!.username !== q.first) throw new Error(`GET ${q.path}: the exact handle ${q.first} is not first (${body.items[0]!.username} is)`);
  return body.items.length;
}

const usersPath = (q: string) => `/api/v1/search/users?${new URLSearchParams({ q })}`;
const postsPath = (q: string) => `/api/v1/search/posts?${new URLSearchParams({ q })}`;

/** A typing slip in a name: a letter dropped, two swapped, or one doubled, near its middle (never the first letter). */
export function typo(name: string, n: number): string {
  const at = Math.max(1, Math.floor(name.length / 2) + (n % 3) - 1);
  const c = name[at]!;
  if (n % 3 === 0) return name.slice(0, at) + name.slice(at + 1);
  if (n % 3 === 1 && at + 1 < name.length) return name.slice(0, at) + name[at + 1] + c + name.slice(at + 2);
  return name.slice(0, at) + c + name.slice(at);
}
