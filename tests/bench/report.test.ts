// The benchmark report renderer: targets judged from a run's figures, the Markdown tables
// and ratios, the SVG charts (well-formed, escaped, robust to thin data) and the files
// writeReport leaves. Pure rendering: no services are used.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  evaluateTargets,
  renderFanoutChart,
  renderHeadline,
  renderLatencyChart,
  renderMarkdown,
  writeReport,
} from "@/bench/harness/report";
import { decadeDomain, escapeXml, logScale, logTicks, niceTicks } from "@/bench/harness/svg";
import type { BenchRun, FanoutResult, FeedModel, LiveSeries, LoadResult, ReaderKind, ReadSeries, ReplayFanoutResult } from "@/bench/harness/results";

type Figures = [c: number, rps: number, p50: number, p99: number];

function load([connections, rps, p50, p99]: Figures): LoadResult {
  return {
    connections,
    requests: Math.round(rps * 10),
    durationS: 10,
    rps,
    latency: { p50, p90: Math.round(((p50 + p99) / 2) * 10) / 10, p99, max: p99 * 2, mean: p50 * 1.1 },
    errors: 0,
    non2xx: 0,
  };
}

const DETAIL: Record<ReaderKind, string> = {
  warm: "reader_100 (follows 100)",
  reposts: "reader_reposts (follows 100, 52% reposts)",
  cold: "600 cold readers (following 100–300)",
  follows2000: "reader_2000 (follows 2000)",
  superstars: "reader_superstars (follows 10 superstars)",
};

function series(model: FeedModel, reader: ReaderKind, figures: Figures[]): ReadSeries {
  return { model, reader, readerDetail: DETAIL[reader], loads: figures.map(load) };
}

function fanout(author: string, followers: number, activeFraction: number, active: number, ms: number, perS: number): FanoutResult {
  return {
    author,
    followers,
    activeFraction,
    active,
    delivered: active,
    publishToLastMs: ms,
    recordedLagMs: ms - 40,
    deliveriesPerS: perS,
    batches: Math.ceil(active / 1000),
  };
}

function fixture(): BenchRun {
  return {
    version: 1,
    id: "2025-06-01T12-00-00Z-medium",
    startedAt: "2025-06-01T12:00:00.000Z",
    finishedAt: "2025-06-01T12:12:34.000Z",
    durationS: 754,
    scenarios: ["limits", "reads", "models", "fanout", "rebuild", "memory"],
    loadDurationS: 10,
    concurrencies: [1, 16, 64],
    machine: {
      cpus: 2,
      cpuModel: "AMD EPYC 7763 64-Core Processor",
      memoryGiB: 7.76,
      node: "v20.19.5",
      os: "Linux 6.8.0 x64",
      postgres: "18.4",
      redis: "7.0.15",
      loadAverageAtStart: [0.52, 0.61, 0.7],
    },
    world: { preset: "medium", users: 100_000, follows: 5_080_000, posts: 501_000, superstars: 20, activeUsers: 20_000, generatedS: null },
    limits: {
      redis: { zaddPerS: 412_000, zrangePerS: 655_000, pipeline: 100 },
      floor: [load([1, 1500, 0.6, 1.8]), load([16, 4200, 3.6, 8.9]), load([64, 4400, 14, 31])],
      pgPkLookupsPerS: 18_400,
    },
    reads: [
      series("hybrid", "warm", [[1, 900, 1.0, 2.6], [16, 2300, 6.8, 15.2], [64, 2420, 25.9, 41.3]]),
      series("hybrid", "cold", [[1, 120, 7.9, 18], [16, 350, 44, 95], [64, 370, 170, 330]]),
      series("hybrid", "follows2000", [[1, 400, 2.3, 5.1], [16, 1100, 13.5, 32], [64, 1180, 52, 110]]),
      series("hybrid", "superstars", [[1, 300, 3.1, 7], [16, 800, 19, 44], [64, 850, 74, 150]]),
      series("push", "warm", [[1, 910, 1.0, 2.5], [16, 2310, 6.7, 15], [64, 2430, 25.7, 40.8]]),
      series("push", "follows2000", [[1, 420, 2.2, 4.8], [16, 1150, 13, 30], [64, 1210, 50, 105]]),
      series("push", "superstars", [[1, 880, 1.05, 2.7], [16, 2250, 7, 16], [64, 2380, 26.5, 43]]),
      series("pull-merge", "warm", [[1, 300, 3.2, 7], [16, 700, 22, 45], [64, 720, 85, 160]]),
      series("pull-merge", "follows2000", [[1, 60, 16, 30], [16, 95, 160, 300], [64, 100, 600, 1100]]),
      series("pull-merge", "superstars", [[1, 200, 4.8, 10], [16, 520, 30, 60], [64, 540, 115, 220]]),
      series("pull", "warm", [[1, 60, 15.8, 30], [16, 210, 74, 130], [64, 220, 285, 520]]),
      series("pull", "follows2000", [[1, 9.5, 104, 160], [16, 38, 410, 690], [64, 40, 1540, 2900]]),
      series("pull", "superstars", [[1, 250, 3.8, 8.2], [16, 700, 22, 50], [64, 720, 88, 170]]),
    ],
    fanout: [
      fanout("author_1k", 1000, 0.1, 100, 210, 476),
      fanout("author_1k", 1000, 1, 1000, 320, 3125),
      fanout("author_100k", 99_995, 0.1, 9_999, 1350, 7407),
      fanout("author_100k", 99_995, 1, 99_995, 8200, 12_194),
    ],
    rebuild: {
      single: [
        { reader: "reader_100", followees: 100, samples: 20, p50Ms: 18, p99Ms: 31 },
        { reader: "reader_2000", followees: 2000, samples: 20, p50Ms: 96, p99Ms: 142 },
      ],
      herd: {
        reader: "reader_2000",
        followees: 2000,
        concurrent: 100,
        rebuilds: 1,
        latency: { p50: 210, p90: 260, p99: 320, max: 340, mean: 215 },
        allOk: true,
      },
    },
    memory: { cap: 800, timelines: 1000, entriesPerTimeline: 800, bytesPerEntry: 71.3, bytesPerActiveUser: 57_100, memoryUsageOfOneKey: 56_984 },
    targets: [],
    notes: ["Load generator on the same 2 cores as the app: figures are a floor.", "Cold reads only run with the hybrid model."],
  };
}

const byName = (run: BenchRun) => Object.fromEntries(evaluateTargets(run).map((t) => [t.name, t]));
const T = {
  throughput: "Warm read throughput at c=64",
  p99: "Warm read p99 at c=64",
  superstars: "Superstar reader vs warm reader at c=64",
  cold: "Cold reads (every request rebuilds) at c=64",
  pull: "Hybrid vs the honest pull, reader following 2000",
  fanout: "Fan-out throughput",
  fanoutRatio: "Fan-out vs Redis' own write rate",
  million: "1M-follower post, all followers active: publish → last timeline",
  rebuild: "Rebuild, reader following 2000",
  herd: "Thundering herd: 100 concurrent cold reads",
  runTime: "Full run time (medium preset)",
};

function seriesOf(run: BenchRun, model: FeedModel, reader: ReaderKind): ReadSeries {
  return run.reads!.find((s) => s.model === model && s.reader === reader)!;
}
function loadOf(run: BenchRun, model: FeedModel, reader: ReaderKind, c: number): LoadResult {
  return seriesOf(run, model, reader).loads.find((l) => l.connections === c)!;
}

describe("evaluateTargets", () => {
  it("checks the eleven targets, in order, against the fixture", () => {
    const targets = evaluateTargets(fixture());
    expect(targets.map((t) => t.name)).toEqual(Object.values(T));
    expect(targets.map((t) => t.met)).toEqual([false, false, false, false, true, false, false, null, true, true, true]);
    const t = byName(fixture());
    expect(t[T.throughput]!.measured).toBe("2,420 req/s = 0.55× floor (4,400 req/s)");
    expect(t[T.p99]!.measured).toBe("41 ms (p50 26 ms)");
    // 850 / 2420; 370 / 4400.
    expect(t[T.superstars]!.measured).toBe("0.35× (superstars 850 vs warm 2,420 req/s)");
    expect(t[T.cold]!.measured).toBe("370 req/s = 0.084× floor (4,400 req/s)");
    // 1180 / 100 at c=64; c=1 p50 16 / 2.3; 1180 / 40 against the textbook pull.
    expect(t[T.pull]!.measured).toBe(
      "11.8× (hybrid 1,180 vs honest pull 100 req/s); c=1 p50 6.96× lower (2.3 vs 16 ms); 29.5× the textbook pull (40 req/s)",
    );
    expect(t[T.fanout]!.measured).toBe("12,194 deliveries/s (author_100k, 99,995 active followers, all delivered)");
    // 12,194 / 412,000.
    expect(t[T.fanoutRatio]!.measured).toBe("0.030× (12,194 deliveries/s, author_100k 99,995 active, vs 412,000 ZADD/s at pipeline 100; all delivered)");
    expect(t[T.million]!.measured).toBe("not measured (no author with 1M followers all active; needs --preset large)");
    expect(t[T.rebuild]!.measured).toBe("p50 96 ms, p99 142 ms (reader_2000, 2,000 followees, 20 samples)");
    expect(t[T.herd]!.measured).toBe("1 rebuild for 100 concurrent reads, all answered; p99 320 ms");
    expect(t[T.runTime]!.measured).toBe("12 min 34 s");
  });

  it("warm throughput: met at 0.8 of the floor, unmet below, null without floor or warm read", () => {
    const run = fixture();
    loadOf(run, "hybrid", "warm", 64).rps = 3520;
    expect(byName(run)[T.throughput]!.met).toBe(true);
    loadOf(run, "hybrid", "warm", 64).rps = 3519;
    expect(byName(run)[T.throughput]!.met).toBe(false);

    const noFloor = fixture();
    noFloor.limits!.floor = noFloor.limits!.floor.filter((l) => l.connections !== 64);
    expect(byName(noFloor)[T.throughput]).toMatchObject({ met: null, measured: expect.stringMatching(/^not measured \(no framework floor at c=64/) });

    const noWarm = fixture();
    noWarm.reads = noWarm.reads!.filter((s) => s.reader !== "warm");
    expect(byName(noWarm)[T.throughput]!.met).toBeNull();
    expect(byName(noWarm)[T.p99]).toMatchObject({ met: null, measured: "not measured (no hybrid warm read at c=64)" });
  });

  it("flags failed requests in the measurement", () => {
    const run = fixture();
    loadOf(run, "hybrid", "warm", 64).non2xx = 12;
    expect(byName(run)[T.throughput]!.measured).toContain("⚠ 12 failed requests");
  });

  it("warm p99: met below 25 ms", () => {
    const run = fixture();
    loadOf(run, "hybrid", "warm", 64).latency.p99 = 24.9;
    expect(byName(run)[T.p99]).toMatchObject({ met: true, measured: "25 ms (p50 26 ms)" });
    loadOf(run, "hybrid", "warm", 64).latency.p99 = 25;
    expect(byName(run)[T.p99]!.met).toBe(false);
  });

  it("superstars vs warm and cold vs floor: met at 0.9 and 0.2, null without their reads or floor", () => {
    const run = fixture();
    loadOf(run, "hybrid", "superstars", 64).rps = 2178; // 0.9 × 2420
    loadOf(run, "hybrid", "cold", 64).rps = 880; // 0.2 × 4400
    expect(byName(run)[T.superstars]!.met).toBe(true);
    expect(byName(run)[T.cold]!.met).toBe(true);
    loadOf(run, "hybrid", "superstars", 64).rps = 2177;
    loadOf(run, "hybrid", "cold", 64).rps = 879;
    expect(byName(run)[T.superstars]!.met).toBe(false);
    expect(byName(run)[T.cold]!.met).toBe(false);
    const bare = { ...fixture(), limits: undefined, reads: fixture().reads!.filter((s) => s.reader === "warm") };
    expect(byName(bare)[T.superstars]).toMatchObject({ met: null, measured: "not measured (no hybrid superstars read at c=64)" });
    expect(byName(bare)[T.cold]).toMatchObject({ met: null, measured: "not measured (no hybrid cold read at c=64)" });
  });

  it("hybrid vs the honest pull: at c=64, unmet below 10×, null without pull-merge; the textbook pull only adds a figure", () => {
    const run = fixture();
    loadOf(run, "pull-merge", "follows2000", 64).rps = 118; // exactly 10×
    expect(byName(run)[T.pull]!.met).toBe(true);
    loadOf(run, "pull-merge", "follows2000", 64).rps = 119;
    expect(byName(run)[T.pull]).toMatchObject({ met: false, measured: expect.stringMatching(/^9\.92× /) });

    const noTextbook = fixture();
    noTextbook.reads = noTextbook.reads!.filter((s) => s.model !== "pull");
    expect(byName(noTextbook)[T.pull]).toMatchObject({ met: true, measured: expect.not.stringContaining("textbook") });

    const noMerge = fixture();
    noMerge.reads = noMerge.reads!.filter((s) => s.model !== "pull-merge");
    expect(byName(noMerge)[T.pull]).toMatchObject({ met: null, measured: "not measured (no follows2000 read with pull-merge)" });
    const no64 = fixture();
    seriesOf(no64, "pull-merge", "follows2000").loads.pop();
    expect(byName(no64)[T.pull]).toMatchObject({ met: null, measured: "not measured (no follows2000 read at c=64 with pull-merge)" });
  });

  it("fan-out vs Redis: met at 0.6 of ZADD/s with all delivered, null below 90k active or without redis-benchmark", () => {
    const run = fixture();
    run.fanout![3]!.deliveriesPerS = 247_200; // 0.6 × 412,000
    expect(byName(run)[T.fanoutRatio]!.met).toBe(true);
    run.fanout![3]!.delivered = 99_990;
    expect(byName(run)[T.fanoutRatio]).toMatchObject({ met: false, measured: expect.stringContaining("⚠ only 99,990 delivered") });
    const small = fixture();
    small.fanout = small.fanout!.filter((f) => f.author === "author_1k");
    expect(byName(small)[T.fanoutRatio]).toMatchObject({ met: null, measured: expect.stringMatching(/^not measured \(no fan-out to 100k active/) });
    const skipped = fixture();
    skipped.limits!.redis = { skipped: "redis-benchmark is not installed" };
    expect(byName(skipped)[T.fanoutRatio]).toMatchObject({ met: null, measured: "not measured (redis-benchmark skipped: redis-benchmark is not installed)" });
  });

  it("fan-out throughput: met at ≥ 100k/s only when every active follower got the post", () => {
    const run = fixture();
    run.fanout![3]!.deliveriesPerS = 140_000;
    expect(byName(run)[T.fanout]!.met).toBe(true);
    run.fanout![3]!.delivered = 99_990;
    expect(byName(run)[T.fanout]).toMatchObject({ met: false, measured: expect.stringContaining("⚠ only 99,990 delivered") });
    expect(byName({ ...fixture(), fanout: undefined })[T.fanout]!.met).toBeNull();
  });

  it("1M followers: judged on the all-active run, unmet at 10 s or incomplete", () => {
    const run = fixture();
    run.fanout!.push(fanout("author_1m", 999_994, 0.1, 99_999, 1900, 52_631), fanout("author_1m", 999_994, 1, 999_994, 9_999, 100_009));
    expect(byName(run)[T.million]).toMatchObject({ met: true, measured: "9,999 ms (author_1m, 999,994 active)" });
    run.fanout![5]!.publishToLastMs = 10_000;
    expect(byName(run)[T.million]!.met).toBe(false);
    run.fanout![5]!.publishToLastMs = 4800;
    run.fanout![5]!.delivered = 999_000;
    expect(byName(run)[T.million]).toMatchObject({ met: false, measured: "4,800 ms (author_1m, 999,994 active); ⚠ 999,000 of 999,994 delivered" });
    // author_1m at 10% is the audience nearest 100k active: the Redis ratio uses it.
    expect(byName(run)[T.fanoutRatio]!.measured).toMatch(/\(52,631 deliveries\/s, author_1m 99,999 active/);
    // Just under a million counts (the world caps audiences a few short); 900k does not.
    for (const f of run.fanout!) if (f.author === "author_1m") f.followers = 900_000;
    expect(byName(run)[T.million]!.met).toBeNull();
  });

  it("rebuild: unmet at 150 ms, null when no reader follows ≥ 1000", () => {
    const run = fixture();
    run.rebuild!.single[1]!.p50Ms = 150;
    expect(byName(run)[T.rebuild]!.met).toBe(false);
    run.rebuild!.single[1]!.followees = 476;
    expect(byName(run)[T.rebuild]).toMatchObject({
      met: null,
      measured: "not measured (largest rebuild reader follows 476; needs ≥ 1,000)",
    });
  });

  it("herd: unmet with two rebuilds or a failed answer, null without a herd run", () => {
    const run = fixture();
    run.rebuild!.herd!.rebuilds = 2;
    expect(byName(run)[T.herd]).toMatchObject({ met: false, measured: "2 rebuilds for 100 concurrent reads, all answered; p99 320 ms" });
    run.rebuild!.herd!.rebuilds = 1;
    run.rebuild!.herd!.allOk = false;
    expect(byName(run)[T.herd]!.met).toBe(false);
    const noHerd = fixture();
    delete noHerd.rebuild!.herd;
    expect(byName(noHerd)[T.herd]!.met).toBeNull();
  });

  it("run time: only for a full medium run", () => {
    expect(byName({ ...fixture(), durationS: 900 })[T.runTime]).toMatchObject({ met: false, measured: "15 min 00 s" });
    expect(byName({ ...fixture(), world: { ...fixture().world, preset: "small" } })[T.runTime]).toMatchObject({
      met: null,
      measured: "not measured (preset small; needs medium)",
    });
    expect(byName({ ...fixture(), scenarios: ["reads", "fanout"] })[T.runTime]).toMatchObject({
      met: null,
      measured: "not measured (scenarios skipped: limits, models, rebuild, memory)",
    });
  });

  it("copes with a run that measured nothing", () => {
    const run: BenchRun = { ...fixture(), limits: undefined, reads: undefined, fanout: undefined, rebuild: undefined, memory: undefined };
    const targets = evaluateTargets(run);
    expect(targets.map((t) => t.met)).toEqual([null, null, null, null, null, null, null, null, null, null, true]);
  });
});

describe("renderMarkdown", () => {
  const md = renderMarkdown(fixture(), { latencyChart: "run-latency.svg", fanoutChart: "run-fanout.svg" });
  const lines = md.split("\n");
  const row = (start: string) => lines.find((l) => l.startsWith(start));

  it("has the title, machine line and every section in order", () => {
    expect(lines[0]).toBe("# Starling benchmark: run 2025-06-01T12-00-00Z-medium");
    expect(md).toContain("2025-06-01 12:00 UTC · preset **medium** · took 12 min 34 s");
    expect(md).toContain(
      "**Machine:** 2 × AMD EPYC 7763 64-Core Processor, 7.8 GiB RAM, Node v20.19.5, Linux 6.8.0 x64, PostgreSQL 18.4, Redis 7.0.15; load average at start 0.52 / 0.61 / 0.70.",
    );
    const headings = lines.filter((l) => l.startsWith("## "));
    expect(headings).toEqual(["## Targets", "## Machine limits", "## Feed reads", "## Feed models", "## Fan-out", "## Rebuild", "## Memory", "## Notes"]);
  });

  it("renders the targets table from the evaluated targets", () => {
    expect(md).toContain("| ❌ | Warm read throughput at c=64 | ≥ 0.8× the framework floor (constant-JSON route) in requests/s | 2,420 req/s = 0.55× floor (4,400 req/s) |");
    expect(md).toContain("| ❌ | Warm read p99 at c=64 | < 25 ms | 41 ms (p50 26 ms) |");
    expect(md).toContain("| ✅ | Hybrid vs the honest pull, reader following 2000 | ≥ 10× the requests/s at c=64 | 11.8× (hybrid 1,180 vs honest pull 100 req/s);");
    expect(md).toContain("| — | 1M-follower post, all followers active: publish → last timeline | < 10 s |");
  });

  it("uses the run's own targets when it has them", () => {
    const run = { ...fixture(), targets: [{ name: "Custom", target: "t", measured: "m", met: false }] };
    expect(renderMarkdown(run, { latencyChart: "", fanoutChart: "" })).toContain("| ❌ | Custom | t | m |");
  });

  it("lists machine limits and the floor", () => {
    expect(md).toContain("| Redis ZADD (pipeline of 100) | 412,000 /s |");
    expect(md).toContain("| Redis ZRANGE (pipeline of 100) | 655,000 /s |");
    expect(md).toContain("| Postgres primary-key lookups | 18,400 /s |");
    expect(md).toContain("| 64 | 4,400 | 14 | 31 | 0 |");
    const skipped = renderMarkdown({ ...fixture(), limits: { ...fixture().limits!, redis: { skipped: "REST bridge only" } } });
    expect(skipped).toContain("| Redis ZADD / ZRANGE | skipped: REST bridge only |");
  });

  it("has a feed-read row per series and load, with the ratio to the floor", () => {
    const readRows = lines.filter((l) => /^\| (hybrid|push|pull) \|/.test(l));
    expect(readRows).toHaveLength(30);
    // 2420 / 4400 = 0.55; p90 is (25.9 + 41.3) / 2.
    expect(row("| hybrid | warm: reader_100 (follows 100) | 64 |")).toBe(
      "| hybrid | warm: reader_100 (follows 100) | 64 | 2,420 | 26 | 34 | 41 | 83 | 0.55× | 0 |",
    );
    // 9.5 / 1500 = 0.0063; sub-10 rates and latencies keep a decimal.
    expect(row("| pull | follows2000: reader_2000 (follows 2000) | 1 |")).toBe(
      "| pull | follows2000: reader_2000 (follows 2000) | 1 | 9.5 | 104 | 132 | 160 | 320 | 0.0063× | 0 |",
    );
  });

  it("flags failed requests loudly", () => {
    const run = fixture();
    loadOf(run, "push", "warm", 16).errors = 3;
    loadOf(run, "push", "warm", 16).non2xx = 40;
    expect(renderMarkdown(run)).toContain("| push | warm: reader_100 (follows 100) | 16 | 2,310 | 6.7 | 11 | 15 | 30 | 0.55× | **⚠ 3 errors, 40 non-2xx** |");
  });

  it("compares the four models per reader and concurrency, the two pulls labelled, cold (hybrid only) left out", () => {
    expect(md).toContain(
      "| Reader | c | hybrid req/s | push req/s | honest pull (per-followee walk, merged) req/s | pull (textbook IN … ORDER BY) req/s | push÷hybrid | honest pull÷hybrid | textbook pull÷hybrid | p50 push÷hybrid | p50 honest pull÷hybrid | p50 textbook pull÷hybrid |",
    );
    // push 1210/1180 = 1.03, honest 100/1180 = 0.085, textbook 40/1180 = 0.034; p50 50/52 = 0.96, 600/52 = 11.5, 1540/52 = 29.6.
    expect(row("| follows2000: reader_2000 (follows 2000) | 64 |")).toBe(
      "| follows2000: reader_2000 (follows 2000) | 64 | 1,180 | 1,210 | 100 | 40 | 1.03× | 0.085× | 0.034× | 0.96× | 11.5× | 29.6× |",
    );
    // 60/900 = 0.067; p50 15.8/1.0 = 15.8.
    expect(row("| warm: reader_100 (follows 100) | 1 |")).toBe("| warm: reader_100 (follows 100) | 1 | 900 | 910 | 300 | 60 | 1.01× | 0.33× | 0.067× | 1.00× | 3.20× | 15.8× |");
    // A model left out of the run shows as —.
    const noPush = fixture();
    noPush.reads = noPush.reads!.filter((s) => s.model !== "push");
    expect(renderMarkdown(noPush)).toContain("| superstars: reader_superstars (follows 10 superstars) | 16 | 800 | — | 520 | 700 | — | 0.65× | 0.88× | — | 1.58× | 1.16× |");
    expect(lines.filter((l) => l.includes("| cold:"))).toHaveLength(3); // feed reads only
    const modelsTable = md.slice(md.indexOf("## Feed models"), md.indexOf("## Fan-out"));
    expect(modelsTable).not.toContain("| cold:");
    expect(modelsTable).toContain("![Latency vs concurrency](run-latency.svg)");
  });

  it("has the fan-out, rebuild, memory and notes sections", () => {
    expect(md).toContain("| author_100k | 99,995 | 100% | 99,995 | 99,995 | 8,200 | 8,160 | 12,194 | 100 |");
    expect(md).toContain("| author_1k | 1,000 | 10% | 100 | 100 | 210 | 170 | 476 | 1 |");
    expect(md).toContain("![Fan-out](run-fanout.svg)");
    expect(md).toContain("| reader_2000 | 2,000 | 20 | 96 | 142 |");
    expect(md).toContain("| reader_2000 | 2,000 | 100 | 1 | 210 | 320 | 340 | yes |");
    expect(md).toContain("| Bytes per entry (used_memory growth) | 71 B |");
    expect(md).toContain("| Bytes per active user (one full timeline) | 57,100 B (55.8 KiB) |");
    expect(md).toContain("- Cold reads only run with the hybrid model.");
  });

  it("skips absent sections and charts", () => {
    const bare: BenchRun = { ...fixture(), limits: undefined, reads: undefined, fanout: undefined, rebuild: undefined, memory: undefined, notes: [] };
    const out = renderMarkdown(bare, { latencyChart: "", fanoutChart: "" });
    expect(out.split("\n").filter((l) => l.startsWith("## "))).toEqual(["## Targets"]);
    expect(out).not.toContain("![");
    const noFloor = renderMarkdown({ ...fixture(), limits: undefined });
    expect(noFloor).toContain("| hybrid | warm: reader_100 (follows 100) | 64 | 2,420 | 26 | 34 | 41 | 83 | — | 0 |");
  });

  it("escapes pipes inside table cells", () => {
    const run = fixture();
    seriesOf(run, "hybrid", "cold").readerDetail = "a | b";
    expect(renderMarkdown(run)).toContain("| hybrid | cold: a \\| b | 1 |");
  });
});

describe("reposts in the report", () => {
  function withReposts(): BenchRun {
    const run = fixture();
    run.world.reposts = 96_802;
    run.reads!.push({
      ...series("hybrid", "reposts", [[1, 720, 1.3, 3.1], [16, 1840, 8.5, 19], [64, 1936, 32, 52]]),
      firstPageReposts: 9,
      firstPageItems: 20,
    });
    run.repostFanout = [
      { ...fanout("author_100k", 99_995, 0.1, 9_999, 1620, 6172), postId: "500599" },
      { ...fanout("author_100k", 99_995, 1, 99_995, 10_250, 9756), postId: "500598" },
    ];
    return run;
  }
  const md = renderMarkdown(withReposts());
  const lines = md.split("\n");

  it("counts the world's reposts", () => {
    expect(md).toContain("preset medium: 100,000 users, 5,080,000 follows, 501,000 posts, 96,802 reposts, 20 superstars");
    expect(renderMarkdown(fixture())).toContain("501,000 posts, 20 superstars");
  });

  it("puts the reposts reader's series after the plain warm reader's, and compares them per concurrency", () => {
    const readRows = lines.filter((l) => /^\| hybrid \| (warm|reposts|cold):/.test(l));
    expect(readRows.map((l) => l.split(" | ")[1]!.split(":")[0])).toEqual(["warm", "warm", "warm", "reposts", "reposts", "reposts", "cold", "cold", "cold"]);
    expect(md).toContain(
      "Reposts in the feed: reader_reposts (follows 100, 52% reposts) (9 of the 20 items of its first page are reposts) against reader_100 (follows 100).",
    );
    // 1936 / 2420 = 0.80; 720 / 900 = 0.80.
    expect(md).toContain("| hybrid | 64 | 2,420 | 1,936 | 0.80× | 26 | 32 | 41 | 52 |");
    expect(md).toContain("| hybrid | 1 | 900 | 720 | 0.80× | 1.0 | 1.3 | 2.6 | 3.1 |");
    expect(lines.filter((l) => /^\| hybrid \| \d+ \| /.test(l))).toHaveLength(3);
    // The three-models table only compares readers read under several models.
    expect(md.slice(md.indexOf("## Feed models"), md.indexOf("## Fan-out"))).not.toContain("reposts:");
    expect(renderMarkdown(fixture())).not.toContain("Reposts in the feed");
  });

  it("puts each repost fan-out next to the post fan-out of the same author and active share", () => {
    const section = md.slice(md.indexOf("## Fan-out"), md.indexOf("## Rebuild"));
    // 10,250 / 8,200 = 1.25; 1,620 / 1,350 = 1.20.
    expect(section).toContain("| author_100k | 99,995 | 100% | 99,995 | 99,995 | 10,250 | 8,200 | 9,756 | 12,194 | 1.25× |");
    expect(section).toContain("| author_100k | 99,995 | 10% | 9,999 | 9,999 | 1,620 | 1,350 | 6,172 | 7,407 | 1.20× |");
    const run = withReposts();
    run.repostFanout![1]!.delivered = 99_000;
    expect(renderMarkdown(run)).toContain("| author_100k | 99,995 | 100% | 99,995 | **⚠ 99,000** | 10,250 |");
    expect(renderMarkdown(fixture())).not.toContain("| Reposter |");
  });

  it("shows a repost fan-out without post fan-outs, and leaves the targets to posts", () => {
    const run = { ...withReposts(), fanout: undefined };
    const out = renderMarkdown(run);
    expect(out).toContain("## Fan-out");
    expect(out).toContain("| author_100k | 99,995 | 100% | 99,995 | 99,995 | 10,250 | — | 9,756 | — | — |");
    expect(byName(run)[T.fanout]!.met).toBeNull();
    expect(evaluateTargets(withReposts())).toEqual(evaluateTargets(fixture()));
  });
});

describe("the Live tab in the report", () => {
  function liveSeries(viewer: string, hosts: number, wanted: number, figures: Figures[]): LiveSeries {
    return { viewer, hosts, wanted, firstPage: { live: 2, upcoming: 18, ended: 0, hasNextPage: true }, loads: figures.map(load) };
  }
  function replay(activeFraction: number, active: number, ms: number): ReplayFanoutResult {
    return { host: "author_100k", followers: 99_995, activeFraction, active, delivered: active, endToLastMs: ms, notBeforeMs: ms - 300, polls: 12, deliveriesPerS: Math.round(active / (ms / 1000)), batches: Math.ceil(active / 2000) };
  }
  function withLive(): BenchRun {
    const run = fixture();
    run.scenarios = [...run.scenarios, "live"];
    run.world.liveSessions = { hosts: 5000, live: 201, upcoming: 2240, ended: 24_870, cancelled: 498 };
    run.live = [
      liveSeries("viewer_5", 5, 5, [[1, 750, 1.2, 2.9], [16, 2100, 7.4, 16], [64, 2200, 28, 47]]),
      liveSeries("viewer_50", 50, 50, [[1, 500, 1.9, 4.2], [16, 1320, 12, 26], [64, 1320, 47, 80]]),
      liveSeries("viewer_2000", 60, 2000, [[1, 40, 24, 40], [16, 88, 180, 260], [64, 88, 700, 990]]),
    ];
    run.replayFanout = [replay(0.1, 9_999, 1500), replay(1, 99_995, 9000)];
    return run;
  }
  const md = renderMarkdown(withLive());

  it("counts the world's live sessions", () => {
    expect(md).toContain("5,000 live hosts (201 live, 2,240 upcoming, 24,870 replays), 20 superstars");
  });

  it("has a Live feed row per viewer and concurrency, with the ratio to the floor, and says when a world had too few hosts", () => {
    const section = md.slice(md.indexOf("## Live"), md.indexOf("## Rebuild"));
    expect(section).toContain("### Live feed");
    // 2200 / 4400 = 0.50; 750 / 1500 = 0.50; 88 / 4400 = 0.02.
    expect(section).toContain("| viewer_5 | 5 | 64 | 2,200 | 28 | 47 | 0.50× | 0 |");
    expect(section).toContain("| viewer_5 | 5 | 1 | 750 | 1.2 | 2.9 | 0.50× | 0 |");
    expect(section).toContain("| viewer_50 | 50 | 16 | 1,320 | 12 | 26 | 0.31× | 0 |");
    expect(section).toContain("| viewer_2000 | 60 (of 2,000: all the world has) | 64 | 88 | 700 | 990 | 0.020× | 0 |");
    expect(section.split("\n").filter((l) => /^\| viewer_/.test(l))).toHaveLength(9);
    expect(section).toContain("viewer_5: 2 live, 18 upcoming, 0 replays, more pages");
    // After the fan-out, before the rebuilds.
    expect(md.indexOf("## Fan-out")).toBeLessThan(md.indexOf("## Live"));
  });

  it("has a Replay fan-out row per active share, next to the post's time to the same followers", () => {
    expect(md).toContain("### Replay fan-out");
    expect(md).toContain("| author_100k | 99,995 | 100% | 99,995 | 99,995 | 9,000 | 8,700 | 12 | 11,111 | 50 | 8,200 |");
    expect(md).toContain("| author_100k | 99,995 | 10% | 9,999 | 9,999 | 1,500 | 1,200 | 12 | 6,666 | 5 | 1,350 |");
    const run = withLive();
    run.replayFanout![1]!.delivered = 99_000;
    run.fanout = undefined;
    expect(renderMarkdown(run)).toContain("| author_100k | 99,995 | 100% | 99,995 | **⚠ 99,000** | 9,000 | 8,700 | 12 | 11,111 | 50 | — |");
  });

  it("shows — for × floor without the limits scenario, flags failures, and leaves the section out without live figures", () => {
    const run = withLive();
    run.live![0]!.loads[0]!.non2xx = 3;
    const out = renderMarkdown({ ...run, limits: undefined });
    expect(out).toContain("| viewer_5 | 5 | 1 | 750 | 1.2 | 2.9 | — | **⚠ 3 non-2xx** |");
    expect(renderMarkdown(fixture())).not.toContain("## Live");
    expect(evaluateTargets(withLive())).toEqual(evaluateTargets(fixture()));
  });
});

describe("pages and finding people in the report", () => {
  function withPagesAndPeople(): BenchRun {
    const run = fixture();
    run.scenarios = [...run.scenarios, "people"];
    run.pages = [
      { page: "floor", path: "/bench-floor", detail: "constant page", bytes: 20_480, loads: [load([1, 500, 1.9, 4]), load([64, 1000, 60, 90])] },
      { page: "home", path: "/", detail: "reader_100's home", bytes: 92_160, loads: [load([1, 100, 9.5, 20]), load([64, 250, 250, 400])] },
    ];
    run.people = [
      { endpoint: "search/users", detail: "30 queries", items: { min: 1, max: 20 }, loads: [load([1, 200, 4.8, 12]), load([64, 440, 140, 260])] },
      { endpoint: "suggestions", detail: "reader_2000 (follows 2000)", items: { min: 10, max: 10 }, loads: [load([1, 50, 19, 40])] },
    ];
    return run;
  }
  const md = renderMarkdown(withPagesAndPeople());

  it("has a Pages section after the feed reads: each page against the constant page and the API floor", () => {
    expect(md.indexOf("## Feed reads")).toBeLessThan(md.indexOf("## Pages"));
    expect(md.indexOf("## Pages")).toBeLessThan(md.indexOf("## Feed models"));
    // 250 / 1000 and 250 / 4400; 100 / 500 and 100 / 1500.
    expect(md).toContain("| /: reader_100's home | 64 | 250 | 250 | 400 | 0.25× | 0.057× | 90.0 KiB | 0 |");
    expect(md).toContain("| /: reader_100's home | 1 | 100 | 9.5 | 20 | 0.20× | 0.067× | 90.0 KiB | 0 |");
    expect(md).toContain("| /bench-floor: constant page | 64 | 1,000 | 60 | 90 | — | 0.23× | 20.0 KiB | 0 |");
  });

  it("has a Finding people section with the items seen and the floor ratio, and neither section without their figures", () => {
    // 440 / 4400; p90 is (140 + 260) / 2.
    expect(md).toContain("| GET /api/v1/search/users | 30 queries | 1–20 | 64 | 440 | 140 | 200 | 260 | 0.10× | 0 |");
    expect(md).toContain("| GET /api/v1/suggestions | reader_2000 (follows 2000) | 10 | 1 | 50 | 19 | 30 | 40 | 0.033× | 0 |");
    expect(md.indexOf("## Finding people")).toBeLessThan(md.indexOf("## Rebuild"));
    const plain = renderMarkdown(fixture());
    expect(plain).not.toContain("## Pages");
    expect(plain).not.toContain("## Finding people");
    expect(evaluateTargets(withPagesAndPeople())).toEqual(evaluateTargets(fixture()));
  });
});

describe("renderHeadline", () => {
  it("is the targets table and a machine line", () => {
    const headline = renderHeadline(fixture());
    const lines = headline.trimEnd().split("\n");
    expect(lines).toHaveLength(2 + 11 + 2);
    expect(lines[0]).toBe("|  | Target | Goal | Measured |");
    expect(lines[6]).toBe(
      "| ✅ | Hybrid vs the honest pull, reader following 2000 | ≥ 10× the requests/s at c=64 | 11.8× (hybrid 1,180 vs honest pull 100 req/s); c=1 p50 6.96× lower (2.3 vs 16 ms); 29.5× the textbook pull (40 req/s) |",
    );
    expect(lines[14]).toBe("Machine: 2 × AMD EPYC 7763 64-Core Processor, 7.8 GiB, Node v20.19.5 · preset medium · run 2025-06-01T12-00-00Z-medium");
  });
});

/** Tags balance, attributes are quoted, and no raw < > or unescaped & is left in text. */
function checkXml(doc: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const texts: string[] = [];
  while ((m = tag.exec(doc))) {
    texts.push(doc.slice(last, m.index));
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else if (!selfClosing) stack.push(name!);
  }
  texts.push(doc.slice(last));
  expect(stack).toEqual([]);
  for (const t of texts) {
    expect(t).not.toMatch(/[<>]/);
    expect(t).not.toMatch(/&(?!(amp|lt|gt|quot|#\d+);)/);
  }
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe("renderLatencyChart", () => {
  const chart = renderLatencyChart(fixture());

  it("is a standalone, well-formed SVG", () => {
    expect(chart.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(chart).toContain('width="640" height="360"');
    expect(chart).toContain('font-size="12"');
    checkXml(chart);
  });

  it("draws p50 and dashed p99 per model for the follows2000 reader, plus the floor", () => {
    expect(chart).toContain("Read latency vs concurrency: reader_2000 (follows 2000)");
    for (const model of ["hybrid", "push", "pull-merge", "pull"]) {
      expect(count(chart, new RegExp(`<polyline[^>]*class="series ${model}-p50"`, "g"))).toBe(1);
      expect(chart).toMatch(new RegExp(`<polyline[^>]*class="series ${model}-p99"[^>]*stroke-dasharray`));
    }
    expect(count(chart, /<polyline[^>]*class="series floor-p50"/g)).toBe(1);
    // 3 concurrencies × (4 models × 2 + floor), plus 5 legend markers.
    expect(count(chart, /<circle/g)).toBe(3 * 9 + 5);
    // Values span 0.6–2,900 ms: decade gridlines 0.1 … 10,000.
    for (const label of [">0.1<", ">1<", ">10<", ">100<", ">1,000<", ">10,000<"]) expect(chart).toContain(label);
    for (const c of [">1<", ">16<", ">64<"]) expect(chart).toContain(c);
  });

  it("falls back to the warm reader, escapes text and survives zeros and a single point", () => {
    const run = fixture();
    run.reads = run.reads!.filter((s) => s.reader === "warm" && s.model === "hybrid");
    run.reads[0]!.readerDetail = "reader <100> & co";
    run.reads[0]!.loads = [load([16, 0, 0, 0])];
    run.limits = undefined;
    const one = renderLatencyChart(run);
    checkXml(one);
    expect(one).toContain("reader &lt;100&gt; &amp; co");
    expect(one).not.toContain("<100>");
    expect(one).not.toMatch(/NaN|Infinity/);
    expect(count(one, /<polyline/g)).toBe(2);
  });

  it("renders a placeholder without reads", () => {
    const empty = renderLatencyChart({ ...fixture(), reads: [] });
    checkXml(empty);
    expect(empty).toContain("No warm or follows2000 reads");
    expect(empty).not.toContain("<polyline");
  });
});

describe("renderFanoutChart", () => {
  const chart = renderFanoutChart(fixture());

  it("draws one series per active fraction with value labels and the target line", () => {
    expect(chart.startsWith("<svg")).toBe(true);
    checkXml(chart);
    expect(count(chart, /<polyline[^>]*class="series active-10"/g)).toBe(1);
    expect(count(chart, /<polyline[^>]*class="series active-100"/g)).toBe(1);
    expect(chart).toContain(">10% active<");
    expect(chart).toContain(">100% active<");
    for (const v of [">476/s<", ">3.1k/s<", ">7.4k/s<", ">12.2k/s<"]) expect(chart).toContain(v);
    expect(chart).toContain(">target 100k/s<");
    expect(chart).toMatch(/<line[^>]*stroke="#dc2626"[^>]*stroke-dasharray="6 4"/);
    for (const t of [">1k<", ">10k<", ">100k<"]) expect(chart).toContain(t);
    expect(count(chart, /<circle/g)).toBe(4 + 2);
  });

  it("survives a single zero point and an empty run", () => {
    const one = renderFanoutChart({ ...fixture(), fanout: [{ ...fanout("a<b", 0, 0.5, 0, 0, 0), delivered: 0 }] });
    checkXml(one);
    expect(one).not.toMatch(/NaN|Infinity/);
    expect(one).toContain(">50% active<");
    const empty = renderFanoutChart({ ...fixture(), fanout: undefined });
    checkXml(empty);
    expect(empty).not.toContain("<polyline");
  });
});

describe("svg helpers", () => {
  it("makes nice linear ticks covering the range", () => {
    expect(niceTicks(0, 108_000, 5)).toEqual([0, 25_000, 50_000, 75_000, 100_000, 125_000]);
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(5, 5)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("makes decade domains and ticks for log axes", () => {
    expect(decadeDomain(0.6, 2900, 0.1)).toEqual([0.1, 10_000]);
    expect(decadeDomain(0, 0, 0.1)).toEqual([0.1, 1]);
    expect(decadeDomain(1000, 1000, 1)).toEqual([100, 10_000]);
    expect(logTicks(0.1, 1000)).toEqual([0.1, 1, 10, 100, 1000]);
    const y = logScale([1, 100], [300, 100]);
    expect([y(1), y(10), y(100), y(0)]).toEqual([300, 200, 100, 300]);
  });

  it("escapes markup", () => {
    expect(escapeXml(`a<b>&"c"`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;");
  });
});

describe("writeReport", () => {
  it("writes the JSON, both charts, the Markdown and latest.md", () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "starling-report-")), "nested", "out");
    try {
      const run = fixture();
      const written = writeReport(run, dir);
      const id = run.id;
      expect(written.json).toBe(path.join(dir, `${id}.json`));
      expect(written.markdown).toBe(path.join(dir, `${id}.md`));
      expect(written.charts).toEqual([path.join(dir, `${id}-latency.svg`), path.join(dir, `${id}-fanout.svg`)]);
      expect(fs.readdirSync(dir).sort()).toEqual([`${id}-fanout.svg`, `${id}-latency.svg`, `${id}.json`, `${id}.md`, "latest.md"].sort());

      const json = fs.readFileSync(written.json, "utf8");
      expect(json.split("\n")[1]).toBe('  "version": 1,');
      const stored = JSON.parse(json) as BenchRun;
      expect(stored.targets.map((t) => t.met)).toEqual([false, false, false, false, true, false, false, null, true, true, true]);
      expect(run.targets).toEqual([]); // the caller's object is left alone

      const md = fs.readFileSync(written.markdown, "utf8");
      expect(fs.readFileSync(path.join(dir, "latest.md"), "utf8")).toBe(md);
      expect(md).toContain(`![Latency vs concurrency](${id}-latency.svg)`);
      expect(md).toContain(`![Fan-out](${id}-fanout.svg)`);
      expect(fs.readFileSync(written.charts[0]!, "utf8")).toBe(renderLatencyChart(stored));
    } finally {
      fs.rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
    }
  });

  it("skips charts without data and does not link them", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "starling-report-"));
    try {
      const run = { ...fixture(), fanout: undefined };
      const written = writeReport(run, dir);
      expect(written.charts).toEqual([path.join(dir, `${run.id}-latency.svg`)]);
      expect(fs.existsSync(path.join(dir, `${run.id}-fanout.svg`))).toBe(false);
      expect(fs.readFileSync(written.markdown, "utf8")).not.toContain("![Fan-out]");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an id that would write outside the directory", () => {
    expect(() => writeReport({ ...fixture(), id: "../escape" }, os.tmpdir())).toThrow(/unusable run id/);
  });
});
