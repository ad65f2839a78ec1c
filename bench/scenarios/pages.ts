// The pages people load (issue 14 item 3), read logged in as reader_100 over HTTP: the
// server-rendered home page (`/`, with the first feed page and who to follow) and a
// profile (`/u/user_1`, the most-followed account), next to `/bench-floor`, a constant
// page rendered inside the same layout with the same session check: their floor. Part of
// the `reads` scenario, under the hybrid model.
import type { BenchContext } from "../harness/context";
import { costed, costProbeFor, pgCounter } from "../harness/cpu";
import { runLoad } from "../harness/load";
import type { LoadResult, PageSeries } from "../harness/results";
import type { AppUnderTest } from "../harness/stack";
import { checkedPage, costLine, flagFailures, settlePg } from "./reads";

export async function measurePages(ctx: BenchContext): Promise<PageSeries[]> {
  const app = await ctx.app("hybrid");
  const reader = ctx.world.accounts.readers.follows100;
  const cookie = await ctx.cookie(reader);
  const [top] = await ctx.sql<Array<{ username: string; followers: number; posts: number; newest: string }>>`
    select u.username, u.followers_count as followers, u.posts_count as posts,
      (select p.id::text from posts p where p.author_id = u.id and p.deleted_at is null order by p.created_at desc, p.id desc limit 1) as newest
    from users u where u.id <= ${ctx.world.maxUserId}::int8 order by u.followers_count desc, u.id limit 1`;
  if (!top) throw new Error("the world has no users");
  const feed = (await checkedPage(app, cookie, reader.username)).items as Array<{ id: string }>;
  // What shows each page is itself (the logged-in home with the feed, not the marketing
  // one; the profile with its posts): a link to the newest post it must show.
  const pages: Array<{ page: PageSeries["page"]; path: string; detail: string; marker: string }> = [
    { page: "floor", path: "/bench-floor", detail: `constant page in the layout, ${reader.username} logged in`, marker: "Benchmark floor" },
    { page: "home", path: "/", detail: `${reader.username}'s home (follows ${reader.following}): first feed page and who to follow`, marker: `href="/p/${feed[0]!.id}"` },
    { page: "profile", path: `/u/${top.username}`, detail: `${top.username} (${top.followers} followers, ${top.posts} posts) seen by ${reader.username}`, marker: `href="/p/${top.newest}"` },
  ];
  const series: PageSeries[] = [];
  const probe = await costProbeFor(ctx, app);
  for (const p of pages) {
    const bytes = await checkedHtml(app, p.path, cookie, p.marker);
    // Postgres counts over the warm-up and the loads, as for the feed reads.
    const pg = pgCounter(probe, { settle: settlePg(ctx, app) });
    await pg.start();
    const warmup = await runLoad({ url: app.url + p.path, connections: Math.max(...ctx.options.concurrencies), durationS: Math.min(2, ctx.options.durationS), cookie });
    const loads: LoadResult[] = [];
    for (const connections of ctx.options.concurrencies) {
      const load = await costed(probe, () => runLoad({ url: app.url + p.path, connections, durationS: ctx.options.durationS, cookie }));
      ctx.log(`  page ${p.path} c=${connections}: ${load.rps} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms${costLine(load)}`);
      flagFailures(ctx, `page ${p.path} c=${connections}`, load);
      loads.push(load);
    }
    const pgCost = await pg.end(warmup.requests + loads.reduce((n, l) => n + l.requests, 0));
    if (pgCost) ctx.log(`  page ${p.path}: ${pgCost.perUnit} Postgres transactions per request`);
    series.push({ page: p.page, path: p.path, detail: p.detail, bytes, loads, ...(pgCost ? { pg: pgCost } : {}) });
  }
  return series;
}

/** One read of the page, checked: a 200 with HTML that is the page asked for, not a redirect or an error page. */
async function checkedHtml(app: AppUnderTest, path: string, cookie: string, marker: string): Promise<number> {
  const res = await fetch(app.url + path, { headers: { cookie }, redirect: "manual" });
  const html = await res.text();
  if (res.status !== 200 || !html.includes(marker)) {
    throw new Error(`GET ${path} answered ${res.status} without ${JSON.stringify(marker)}: ${html.slice(0, 300)}`);
  }
  return Buffer.byteLength(html);
}
