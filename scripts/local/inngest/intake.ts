// Event intake helpers: shape validation, ULID ids and the bounded, expiring sets the
// orchestrator uses for event-id de-duplication and idempotency keys.
import crypto from "node:crypto";

export interface EventPayload {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  v?: string;
  user?: Record<string, unknown>;
  [key: string]: unknown;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A ULID from a millisecond timestamp and 10 bytes of entropy. */
export function ulid(timeMs = Date.now(), entropy: Uint8Array = crypto.randomBytes(10)): string {
  let time = "";
  let t = Math.max(0, Math.floor(timeMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 80 bits of entropy = 16 base32 characters, read 5 bits at a time.
  let bits = 0;
  let acc = 0;
  let rand = "";
  for (const byte of entropy.subarray(0, 10)) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      rand += CROCKFORD[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return time + rand.padEnd(16, "0");
}

/**
 * The SDK sends `x-inngest-event-id-seed: <ms>,<base64 entropy>` and re-sends the same seed
 * when it retries a failed send, so ids derived from it make those retries de-duplicate.
 */
export function seededIds(seed: string | null, count: number): Array<string | undefined> {
  const match = seed ? /^(\d+),([A-Za-z0-9+/=]+)$/.exec(seed) : null;
  if (!match) return new Array<string | undefined>(count).fill(undefined);
  const entropy = Buffer.from(match[2]!, "base64");
  if (entropy.length < 10) return new Array<string | undefined>(count).fill(undefined);
  return Array.from({ length: count }, (_, index) => {
    const bytes = Buffer.from(entropy.subarray(0, 10));
    bytes.writeUInt32BE((bytes.readUInt32BE(6) + index) >>> 0, 6);
    return ulid(Number(match[1]), bytes);
  });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Validates one event or an array of them and fills in `id`, `ts` and `data`. */
export function normaliseEvents(body: unknown, seed: string | null): Parsed<EventPayload[]> {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) return { ok: true, value: [] };
  const ids = seededIds(seed, list.length);
  const events: EventPayload[] = [];
  for (const [index, raw] of list.entries()) {
    const where = Array.isArray(body) ? `event[${index}]` : "event";
    if (!isRecord(raw)) return { ok: false, error: `${where} must be an object` };
    if (typeof raw.name !== "string" || raw.name.trim() === "") {
      return { ok: false, error: `${where}.name must be a non-empty string` };
    }
    if (raw.data !== undefined && raw.data !== null && !isRecord(raw.data)) {
      return { ok: false, error: `${where}.data must be an object` };
    }
    if (raw.id !== undefined && raw.id !== null && (typeof raw.id !== "string" || raw.id.length > 512)) {
      return { ok: false, error: `${where}.id must be a string` };
    }
    if (raw.ts !== undefined && raw.ts !== null && (typeof raw.ts !== "number" || !Number.isFinite(raw.ts))) {
      return { ok: false, error: `${where}.ts must be a number (milliseconds)` };
    }
    if (raw.user !== undefined && raw.user !== null && !isRecord(raw.user)) {
      return { ok: false, error: `${where}.user must be an object` };
    }
    events.push({
      ...raw,
      name: raw.name,
      data: (raw.data as Record<string, unknown> | undefined) ?? {},
      id: typeof raw.id === "string" && raw.id !== "" ? raw.id : (ids[index] ?? ulid()),
      ts: typeof raw.ts === "number" && raw.ts > 0 ? raw.ts : Date.now(),
    });
  }
  return { ok: true, value: events };
}

/** A set whose entries expire, capped so a flood of unique keys cannot grow memory. */
export class ExpiringSet {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  has(key: string, now = Date.now()): boolean {
    const expires = this.entries.get(key);
    if (expires === undefined) return false;
    if (expires > now) return true;
    this.entries.delete(key);
    return false;
  }

  /** Adds the key; returns false when it was already present (and unexpired). */
  add(key: string, now = Date.now()): boolean {
    if (this.has(key, now)) return false;
    this.entries.set(key, now + this.ttlMs);
    this.prune(now);
    return true;
  }

  /** Adds the key with a known expiry (replayed from the journal). */
  restore(key: string, expires: number, now = Date.now()): void {
    if (expires <= now) return;
    this.entries.set(key, expires);
    this.prune(now);
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    // Insertion order is expiry order (constant TTL, journal replayed in order), so the oldest come first.
    for (const [key, expires] of this.entries) {
      if (expires > now && this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
