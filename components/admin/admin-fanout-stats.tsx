// Fan-out health from lib/feed/stats.ts: how long recent posts took to reach every active
// follower's timeline, and how many timelines had to be rebuilt from Postgres.
import type { FeedStats } from "@/lib/feed/stats";

export function AdminFanoutStats({ stats }: { stats: FeedStats }) {
  const { fanout, rebuilds } = stats;
  if (fanout.samples === 0) {
    return (
      <>
        <p className="empty">No data yet: no post has been fanned out since Redis was last flushed.</p>
        <dl className="admin-stats" aria-label="Feed stats">
          <Stat label="rebuilds" value={count(rebuilds)} />
        </dl>
        <p className="field-hint">Rebuilds: timelines built again from Postgres since Redis was last flushed.</p>
      </>
    );
  }
  return (
    <>
      <dl className="admin-stats" aria-label="Feed stats">
        <Stat label="p50" value={ms(fanout.p50Ms)} />
        <Stat label="p99" value={ms(fanout.p99Ms)} />
        <Stat label="max" value={ms(fanout.maxMs)} />
        <Stat label="samples" value={count(fanout.samples)} />
        <Stat label="deliveries" value={count(fanout.deliveries)} />
        <Stat label="rebuilds" value={count(rebuilds)} />
      </dl>
      <p className="field-hint">
        Lag is publish → last fan-out batch done, over the last {count(fanout.samples)} fanned-out{" "}
        {fanout.samples === 1 ? "post" : "posts"}; deliveries are the timelines they were written to. Rebuilds are
        timelines built again from Postgres since Redis was last flushed.
      </p>
    </>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

const count = (n: number) => n.toLocaleString("en");
const ms = (n: number | null) => (n === null ? "–" : `${n.toLocaleString("en")} ms`);
