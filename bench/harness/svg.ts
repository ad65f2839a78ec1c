// Small SVG building blocks for the benchmark report's charts: linear and log scales, nice
// ticks, and element helpers that always escape text. Strings in, strings out: no DOM and
// no dependencies, so a stored run can be re-rendered anywhere.

export type Scale = (value: number) => number;
export type Point = readonly [x: number, y: number];
type Attributes = Record<string, string | number | undefined>;

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Coordinates rounded to 0.1 px: exact enough, and keeps the files small and diffable. */
export function coord(n: number): string {
  if (!Number.isFinite(n)) return "0";
  return String(Math.round(n * 10) / 10 || 0);
}

/** A degenerate domain (one value) maps to the middle of the range rather than dividing by zero. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Values at or below zero (and below the domain) are clamped to the domain's start, since log(0) has no place on the axis. */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const lo = Math.log10(Math.max(domain[0], Number.MIN_VALUE));
  const hi = Math.log10(Math.max(domain[1], Number.MIN_VALUE));
  const inner = linearScale([lo, hi], range);
  return (v) => inner(Math.log10(Math.max(v, domain[0], Number.MIN_VALUE)));
}

/** Whole decades around [min, max], at least one wide and never below `floor`, which keeps zeros and tiny values plottable. */
export function decadeDomain(min: number, max: number, floor: number): [number, number] {
  const lo = Math.max(Math.min(min, max), floor);
  const hi = Math.max(min, max, floor);
  let start = 10 ** Math.floor(Math.log10(lo) + 1e-9);
  let end = 10 ** Math.ceil(Math.log10(hi) - 1e-9);
  if (end <= start) {
    start = Math.max(start / 10, floor);
    end *= 10;
  }
  return [tidy(start), tidy(end)];
}

/** Powers of ten inside [min, max]. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  if (!(min > 0) || !(max >= min)) return ticks;
  for (let e = Math.floor(Math.log10(min) - 1e-9); e <= Math.ceil(Math.log10(max) + 1e-9); e++) {
    const t = tidy(10 ** e);
    if (t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9)) ticks.push(t);
  }
  return ticks;
}

/** Round steps (1, 2, 2.5, 5 × 10ⁿ) from at or below `min` to at or above `max`, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) max = min === 0 ? 1 : min + Math.abs(min);
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(tidy(i * step));
  return ticks;
}

/** Strips binary noise such as 0.30000000000000004. */
function tidy(n: number): number {
  return Number(n.toPrecision(12));
}

function attrs(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === "number" ? coord(v) : v)}"`)
    .join("");
}

export function element(name: string, attributes: Attributes = {}, children?: string): string {
  return children === undefined ? `<${name}${attrs(attributes)}/>` : `<${name}${attrs(attributes)}>${children}</${name}>`;
}

export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return element("text", { x, y, ...attributes }, escapeXml(content));
}

export function line(x1: number, y1: number, x2: number, y2: number, attributes: Attributes = {}): string {
  return element("line", { x1, y1, x2, y2, stroke: "#000", ...attributes });
}

export function polyline(points: readonly Point[], attributes: Attributes = {}): string {
  const list = points.map(([x, y]) => `${coord(x)},${coord(y)}`).join(" ");
  return element("polyline", { points: list, fill: "none", "stroke-width": 2, "stroke-linejoin": "round", ...attributes });
}

export function marker(x: number, y: number, attributes: Attributes = {}): string {
  return element("circle", { cx: x, cy: y, r: 3.5, ...attributes });
}

export function rect(x: number, y: number, width: number, height: number, attributes: Attributes = {}): string {
  return element("rect", { x, y, width, height, ...attributes });
}

/** A standalone document: xmlns, a white background and a <title> for screen readers. */
export function svgDocument(width: number, height: number, title: string, body: readonly string[]): string {
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${coord(width)}" height="${coord(height)}" viewBox="0 0 ${coord(width)} ${coord(height)}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12" fill="#111">`;
  return [open, element("title", {}, escapeXml(title)), rect(0, 0, width, height, { fill: "#fff" }), ...body, "</svg>", ""].join("\n");
}
