// The orchestrator's memory on disk: an append-only JSONL file that records every event it
// accepted, which runs each event started, the steps those runs memoised and which runs
// ended. Replaying it after a restart (or a kill -9) gives back the events not yet
// dispatched, the runs not yet finished and the ids already seen. Accepted events are
// fsynced (grouped) before the sender gets its 200; the rest only needs to survive the
// process, not the machine, since a lost step or end record just means work is redone.
// The file is rewritten from the live state at start-up and whenever it grows too large.
import fs from "node:fs";
import path from "node:path";
import type { SerializedError } from "./app-client";
import type { EventPayload } from "./intake";

export type StepResult = { data: unknown } | { error: SerializedError };

export interface StoredRun {
  id: string;
  functionId: string;
  eventId: string;
  steps: Record<string, StepResult>;
  /** Hashed step ids in completion order. */
  stack: string[];
  version?: number;
  parallel?: boolean;
}

export interface JournalState {
  /** Accepted events not yet dispatched to functions, oldest first. */
  pending: EventPayload[];
  /** Unfinished runs, with the events that started them. */
  runs: Array<StoredRun & { event: EventPayload }>;
  /** Event ids and idempotency keys still de-duplicated, with their expiry (ms). */
  seen: Map<string, number>;
  idempotencyKeys: Map<string, number>;
}

type Line =
  | { k: "e"; e: EventPayload; exp: number } // event accepted (expiry of its id's de-duplication)
  | { k: "n"; id: string; exp: number } // id still de-duplicated, event no longer needed
  | { k: "d"; id: string; runs: Array<{ id: string; fn: string }>; keys?: Array<[string, number]> } // event dispatched
  | { k: "i"; keys: Array<[string, number]> } // idempotency keys still in force
  | { k: "s"; r: string; h: string; v: StepResult; ver?: number; par?: boolean } // step memoised
  | { k: "x"; r: string }; // run ended

const FILE = "journal.jsonl";
const MIN_COMPACT_BYTES = 64 * 1024 * 1024;
const MAX_SEEN = 100_000;

export class Journal {
  private fd: number;
  private bytes = 0;
  private compactAt = MIN_COMPACT_BYTES;
  private syncing: Promise<void> | undefined;
  private nextSync: Promise<void> | undefined;
  private closed = false;
  // The live state, mirrored so the file can be rewritten without asking the runner.
  private readonly events = new Map<string, EventPayload>();
  private readonly pending = new Set<string>();
  private readonly runs = new Map<string, StoredRun>();
  /** Unfinished runs per event: an event is kept while any run it started is. */
  private readonly runsPerEvent = new Map<string, number>();
  private readonly seen = new Map<string, number>();
  private readonly keys = new Map<string, number>();

  private constructor(
    private readonly file: string,
    private readonly log: (line: string) => void,
  ) {
    this.fd = -1;
  }

  /** Replays the journal in `dir` (creating it if needed), compacts it and opens it for appending. */
  static open(dir: string, log: (line: string) => void): { journal: Journal; state: JournalState } {
    fs.mkdirSync(dir, { recursive: true });
    const journal = new Journal(path.join(dir, FILE), log);
    journal.replay();
    journal.rewrite();
    return { journal, state: journal.state() };
  }

  /** Records accepted events; `sync()` makes them durable. */
  accepted(events: EventPayload[], expires: number): void {
    for (const e of events) this.apply({ k: "e", e, exp: expires });
    this.write(events.map((e) => ({ k: "e", e, exp: expires })));
  }

  dispatched(eventId: string, runs: Array<{ id: string; fn: string }>, keys: Array<[string, number]>): void {
    this.record({ k: "d", id: eventId, runs, ...(keys.length ? { keys } : {}) });
  }

  stepDone(runId: string, hash: string, result: StepResult, extra: { version?: number; parallel?: boolean }): void {
    this.record({ k: "s", r: runId, h: hash, v: result, ...(extra.version !== undefined ? { ver: extra.version } : {}), ...(extra.parallel ? { par: true } : {}) });
  }

  runEnded(runId: string): void {
    this.record({ k: "x", r: runId });
  }

  /** Resolves once everything written so far is on disk; concurrent callers share one fsync. */
  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the journal is closed"));
    if (!this.syncing) {
      const fd = this.fd;
      this.syncing = new Promise<void>((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve()))).finally(() => {
        this.syncing = undefined;
      });
      return this.syncing;
    }
    // One is running: writes made since it started need the next one.
    this.nextSync ??= this.syncing
      .catch(() => {})
      .then(() => {
        this.nextSync = undefined;
        return this.sync();
      });
    return this.nextSync;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled([this.syncing, this.nextSync]);
    this.closed = true;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  private record(line: Line): void {
    this.apply(line);
    this.write([line]);
  }

  private write(lines: Line[]): void {
    if (this.closed) return;
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join("");
    fs.writeSync(this.fd, text);
    this.bytes += Buffer.byteLength(text);
    // Rewriting swaps the file under an fsync in flight: wait for a quiet moment.
    if (this.bytes > this.compactAt && !this.syncing && !this.nextSync) this.rewrite();
  }

  /** Folds one record into the live state. */
  private apply(line: Line): void {
    switch (line.k) {
      case "e":
        this.events.set(line.e.id, line.e);
        this.pending.add(line.e.id);
        this.seen.set(line.e.id, line.exp);
        return;
      case "n":
        this.seen.set(line.id, line.exp);
        return;
      case "d":
        this.pending.delete(line.id);
        for (const run of line.runs) {
          if (this.runs.has(run.id)) continue;
          this.runs.set(run.id, { id: run.id, functionId: run.fn, eventId: line.id, steps: {}, stack: [] });
          this.runsPerEvent.set(line.id, (this.runsPerEvent.get(line.id) ?? 0) + 1);
        }
        for (const [key, exp] of line.keys ?? []) this.keys.set(key, exp);
        if (!this.runsPerEvent.has(line.id)) this.events.delete(line.id);
        return;
      case "i":
        for (const [key, exp] of line.keys) this.keys.set(key, exp);
        return;
      case "s": {
        const run = this.runs.get(line.r);
        if (!run || Object.hasOwn(run.steps, line.h)) return;
        run.steps[line.h] = line.v;
        run.stack.push(line.h);
        if (line.ver !== undefined) run.version = line.ver;
        if (line.par) run.parallel = true;
        return;
      }
      case "x": {
        const run = this.runs.get(line.r);
        if (!run) return;
        this.runs.delete(line.r);
        const left = (this.runsPerEvent.get(run.eventId) ?? 1) - 1;
        if (left > 0) {
          this.runsPerEvent.set(run.eventId, left);
        } else {
          this.runsPerEvent.delete(run.eventId);
          this.events.delete(run.eventId);
        }
        return;
      }
    }
  }

  private replay(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    let skipped = 0;
    for (const raw of text.split("\n")) {
      if (raw === "") continue;
      try {
        this.apply(JSON.parse(raw) as Line);
      } catch {
        skipped++; // a line cut short by a crash mid-write
      }
    }
    if (skipped > 0) this.log(`journal: ignored ${skipped} unreadable line(s) in ${this.file}`);
  }

  private state(): JournalState {
    const runs = [...this.runs.values()].flatMap((run) => {
      const event = this.events.get(run.eventId);
      return event ? [{ ...run, event }] : [];
    });
    const pending = [...this.pending].flatMap((id) => this.events.get(id) ?? []);
    return { pending, runs, seen: new Map(this.seen), idempotencyKeys: new Map(this.keys) };
  }

  /** Writes the live state to a new file and swaps it in atomically. */
  private rewrite(): void {
    const now = Date.now();
    prune(this.seen, now);
    prune(this.keys, now);
    const lines: Line[] = [];
    for (const [id, exp] of this.seen) if (!this.events.has(id)) lines.push({ k: "n", id, exp });
    for (const event of this.events.values()) lines.push({ k: "e", e: event, exp: this.seen.get(event.id) ?? now });
    const byEvent = new Map<string, StoredRun[]>();
    for (const run of this.runs.values()) byEvent.set(run.eventId, [...(byEvent.get(run.eventId) ?? []), run]);
    for (const [eventId, runs] of byEvent) lines.push({ k: "d", id: eventId, runs: runs.map((r) => ({ id: r.id, fn: r.functionId })) });
    if (this.keys.size) lines.push({ k: "i", keys: [...this.keys] });
    for (const run of this.runs.values()) {
      for (const hash of run.stack) lines.push({ k: "s", r: run.id, h: hash, v: run.steps[hash]!, ver: run.version, par: run.parallel || undefined });
    }
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join("");
    const temp = `${this.file}.tmp`;
    fs.writeFileSync(temp, text);
    const tempFd = fs.openSync(temp, "r+");
    fs.fsyncSync(tempFd);
    fs.closeSync(tempFd);
    fs.renameSync(temp, this.file);
    syncDirectory(path.dirname(this.file));
    if (this.fd !== -1) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, "a");
    this.bytes = Buffer.byteLength(text);
    this.compactAt = Math.max(MIN_COMPACT_BYTES, this.bytes * 4);
  }
}

/** Drops expired entries, then the oldest beyond the cap. */
function prune(entries: Map<string, number>, now: number): void {
  for (const [key, exp] of entries) if (exp <= now) entries.delete(key);
  if (entries.size <= MAX_SEEN) return;
  const keep = [...entries].sort((a, b) => b[1] - a[1]).slice(0, MAX_SEEN);
  entries.clear();
  for (const [key, exp] of keep) entries.set(key, exp);
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  }
}
