// A tiny progress bar on stderr: step name, bar, percent, elapsed. On a terminal the bar is
// redrawn in place; elsewhere (CI, a log file) each step prints a line when it ends and
// one every 10 s while it runs, so logs stay short but a stuck step is still visible.

export interface Step {
  /** Sets how much of the step is done, out of `total` (the step's total unless given). */
  set(done: number, total?: number): void;
  add(n: number): void;
  /** Extra text shown after the numbers, e.g. "index 2/4". */
  note(text: string): void;
}

export interface Progress {
  /** Runs `work` as one named step; `total` = 0 means a step with no measurable progress (elapsed only). */
  step<T>(name: string, total: number, work: (step: Step) => Promise<T>): Promise<T>;
  /** Milliseconds each finished step took, by name. */
  readonly durations: Record<string, number>;
}

const WIDTH = 24;
const NAME_WIDTH = 26;

export function createProgress(opts: { stream?: NodeJS.WriteStream; enabled?: boolean } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const enabled = opts.enabled ?? true;
  const live = enabled && Boolean(stream.isTTY);

  const durations: Record<string, number> = {};
  return {
    durations,
    async step(name, total, work) {
      const started = performance.now();
      let done = 0;
      let note = "";
      let lastLine = started;
      let failed = false;
      const line = (final: boolean) => {
        const elapsed = `${((performance.now() - started) / 1000).toFixed(1)}s`;
        const label = name.padEnd(NAME_WIDTH);
        const tail = note ? `  ${note}` : "";
        if (failed) return `  ${label} FAILED after ${elapsed}${tail}`;
        if (total <= 0) return `  ${label} ${final ? "done" : "…"}  ${elapsed}${tail}`;
        const ratio = Math.max(0, Math.min(1, done / total));
        const filled = Math.round(ratio * WIDTH);
        const bar = `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`;
        return `  ${label} ${bar} ${`${Math.floor(ratio * 100)}%`.padStart(4)}  ${elapsed}  ${formatCount(done)}/${formatCount(total)}${tail}`;
      };
      const draw = () => {
        if (live) stream.write(`\r\x1b[K${line(false)}`);
        else if (enabled && performance.now() - lastLine >= 10_000) {
          lastLine = performance.now();
          stream.write(`${line(false)}\n`);
        }
      };
      const timer = enabled ? setInterval(draw, live ? 200 : 1000) : undefined;
      timer?.unref();
      draw();
      const step: Step = {
        set(value, newTotal) {
          if (newTotal !== undefined) total = newTotal;
          done = value;
        },
        add(n) {
          done += n;
        },
        note(text) {
          note = text;
        },
      };
      try {
        const result = await work(step);
        if (total > 0) done = total;
        return result;
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        durations[name] = Math.round(performance.now() - started);
        clearInterval(timer);
        if (enabled) stream.write(`${live ? "\r\x1b[K" : ""}${line(true)}\n`);
      }
    },
  };
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}
