// Timeline rebuilds: a single reader's first page with their timeline missing (readers
// following 100 and 2000 accounts), and a thundering herd: 100 concurrent first pages of
// one reader whose timeline is missing, which must cost exactly one rebuild.
import type { BenchContext } from "../harness/context";
import { summarize } from "../harness/load";
import type { RebuildHerd, RebuildSingle } from "../harness/results";
import { checkedPage, dropTimelines, PAGE } from "./reads";

const HERD = 100;

export async function measureRebuilds(ctx: BenchContext): Promise<{ single: RebuildSingle[]; herd: RebuildHerd }> {
  const app = await ctx.app("hybrid");
  const { follows100, follows2000 } = ctx.world.accounts.readers;
  const samples = ctx.options.smoke ? 3 : 40;
  const single: RebuildSingle[] = [];
  for (const reader of [follows100, follows2000]) {
    const cookie = await ctx.cookie(reader);
    await checkedPage(app, cookie, reader.username); // warms the route and the reader's session
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      await dropTimelines(ctx, "hybrid", [reader.id]);
      const started = performance.now();
      await checkedPage(app, cookie, reader.username);
      times.push(performance.now() - started);
    }
    const l = summarize(times);
    ctx.log(`  rebuild ${reader.username} (${reader.following} followees): p50 ${l.p50} ms, p99 ${l.p99} ms`);
    single.push({ reader: reader.username, followees: reader.following, samples, p50Ms: l.p50, p99Ms: l.p99 });
  }

  // The herd: HERD requests at once, each checked for a full first page.
  const cookie = await ctx.cookie(follows2000);
  const adminCookie = await ctx.adminCookie();
  await dropTimelines(ctx, "hybrid", [follows2000.id]);
  const before = await rebuildCount(app.url, adminCookie);
  const results = await Promise.all(
    Array.from({ length: HERD }, async () => {
      const started = performance.now();
      const res = await fetch(`${app.url}/api/v1/feed?limit=${PAGE}`, { headers: { cookie } });
      const body = (await res.json()) as { items?: unknown[] };
      return { ms: performance.now() - started, ok: res.status === 200 && body.items?.length === PAGE };
    }),
  );
  const rebuilds = (await rebuildCount(app.url, adminCookie)) - before;
  const herd: RebuildHerd = {
    reader: follows2000.username,
    followees: follows2000.following,
    concurrent: HERD,
    rebuilds,
    latency: summarize(results.map((r) => r.ms)),
    allOk: results.every((r) => r.ok),
  };
  ctx.log(`  herd of ${HERD} cold reads: ${rebuilds} rebuild(s), p50 ${herd.latency.p50} ms, max ${herd.latency.max} ms, all full pages: ${herd.allOk}`);
  return { single, herd };
}

async function rebuildCount(appUrl: string, cookie: string): Promise<number> {
  const res = await fetch(`${appUrl}/api/v1/admin/stats`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET /api/v1/admin/stats answered ${res.status}`);
  return ((await res.json()) as { rebuilds: number }).rebuilds;
}
