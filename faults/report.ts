// The fault table and the soak figures as Markdown: printed, and written to faults/results/.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FaultResult } from "./phase";
import type { SoakResult } from "./soak";

const counts = (outcomes: Map<string, number>) => [...outcomes].map(([o, n]) => `${o}: ${n}`).join(", ") || "—";

export function faultTable(results: readonly FaultResult[]): string {
  const lines = [
    "| fault | requests by status | p50 / p99 ms | missing / extra / dup after healing | acked writes lost | settled | result |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    const feed = `${r.feed.missing} / ${r.feed.extra} / ${r.feed.duplicated}${r.feed.misordered ? `, ${r.feed.misordered} misordered` : ""}${r.feed.unreadable ? `, ${r.feed.unreadable} unreadable` : ""}`;
    const settled = r.settled.settled ? `${(r.settled.ms / 1000).toFixed(1)} s` : "no";
    lines.push(`| ${r.title} | ${counts(r.outcomes)} | ${r.latency.p50} / ${r.latency.p99} | ${feed} | ${r.lost.length} | ${settled} | ${r.failures.length ? "FAIL" : "ok"} |`);
  }
  return lines.join("\n");
}

export function faultDetails(results: readonly FaultResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const details = [...r.notes, ...r.failures.map((f) => `**${f}**`), ...r.feed.examples, ...r.lost.slice(0, 5)];
    if (details.length) lines.push(`- **${r.title}**: ${details.join("; ")}`);
  }
  return lines.join("\n");
}

export function soakTable(s: SoakResult): string {
  const lines = [
    `${s.clients} clients, ${s.seconds} s: ${s.requests} requests (${(s.requests / Math.max(1, s.seconds)).toFixed(0)}/s), ${s.errors} errors; by status: ${counts(s.outcomes)}.`,
    `After settling: ${s.lost.length} acknowledged writes lost; feeds missing / extra / dup: ${s.feed.missing} / ${s.feed.extra} / ${s.feed.duplicated}.`,
    "",
    "| kind | requests | p50 ms | p99 ms |",
    "| --- | --- | --- | --- |",
    ...s.perKind.map((k) => `| ${k.kind} | ${k.count} | ${k.p50} | ${k.p99} |`),
    `| all | ${s.all.count} | ${s.all.p50} | ${s.all.p99} |`,
  ];
  if (s.failures.length) lines.push("", `**FAIL**: ${s.failures.join("; ")}`);
  return lines.join("\n");
}

export function writeReport(dir: string, name: string, markdown: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.md`);
  writeFileSync(file, `${markdown}\n`);
  return file;
}
