import type { Metadata } from "next";

// The benchmark's floor for server-rendered pages (bench/scenarios/pages.ts): constant
// content inside the normal layout, rendered on every request like the home page and
// profiles, so what those pages cost beyond the framework, the layout and the session
// check can be read as a ratio to this one. Nothing links here; it shows nothing private.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Benchmark floor", robots: { index: false, follow: false } };

export default function BenchFloorPage() {
  return (
    <section className="card">
      <h1>Benchmark floor</h1>
      <p className="muted">A constant page the benchmarks read to measure what rendering any page costs.</p>
    </section>
  );
}
