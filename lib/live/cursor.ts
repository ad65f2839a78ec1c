// The Live feed's and a host's session list's opaque cursors (base64url). Neither is a
// (t, id) position alone, so they have their own codec beside lib/cursor.ts:
// - Live feed: in the snapshot stored in Redis (its id, its moment M, how many entries were
//   shown, and the last one shown), in a snapshot that could not be stored and is
//   recomputed for each page (M and the last entry shown), or in the replays that had
//   ended by M (M, and the last replay shown, if any).
// - A host's list: its phase (live, upcoming, ended) and the last session shown.
// A tampered or truncated cursor is a 400 `invalid_cursor`.
import { badRequest } from "@/lib/errors";
import type { Position } from "@/lib/cursor";
import { isInt8Id } from "@/lib/validation";
import type { SessionKey } from "./dto";

/** A snapshot entry's place in the contract's order: it was live or upcoming at M. */
export type SnapshotKey = SessionKey & { status: "live" | "upcoming" };

export type LiveFeedCursor =
  // `last` lets the page be recomputed from Postgres while Redis is out; only cursors made
  // before it was added lack it.
  | { phase: "snapshot"; snapshotId: string; moment: number; index: number; last?: SnapshotKey }
  | { phase: "recompute"; moment: number; last: SnapshotKey }
  | { phase: "replays"; moment: number; after?: Position };

export type HostPhase = "live" | "upcoming" | "ended";
export interface HostListCursor {
  phase: HostPhase;
  after: Position;
}

const invalidCursor = () => badRequest("invalid_cursor", "The cursor is not valid: use the nextCursor of a previous page.");
const encode = (text: string) => Buffer.from(text).toString("base64url");

function decode(cursor: string): string {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalidCursor();
  return Buffer.from(cursor, "base64url").toString();
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const KEY = "([lu])\\.(\\d{1,15})\\.(\\d{1,19})";
const SNAPSHOT = new RegExp(`^s\\.(${UUID})\\.(\\d{1,15})\\.(\\d{1,6})(?:\\.${KEY})?$`);
const RECOMPUTE = new RegExp(`^p\\.(\\d{1,15})\\.${KEY}$`);
const REPLAYS = /^r\.(\d{1,15})(?:\.(\d{1,15})\.(\d{1,19}))?$/;
const HOST = /^h\.([lue])\.(\d{1,15})\.(\d{1,19})$/;

const encodeKey = (k: SnapshotKey) => `${k.status === "live" ? "l" : "u"}.${k.t}.${k.id}`;

function decodeKey(code: string | undefined, t: string | undefined, id: string | undefined): SnapshotKey | undefined {
  if (code === undefined) return undefined;
  if (!isInt8Id(id!)) throw invalidCursor();
  return { status: code === "l" ? "live" : "upcoming", t: Number(t), id: id! };
}

export function encodeLiveCursor(c: LiveFeedCursor): string {
  if (c.phase === "snapshot") return encode(`s.${c.snapshotId}.${c.moment}.${c.index}${c.last ? `.${encodeKey(c.last)}` : ""}`);
  if (c.phase === "recompute") return encode(`p.${c.moment}.${encodeKey(c.last)}`);
  return encode(c.after ? `r.${c.moment}.${c.after.t}.${c.after.id}` : `r.${c.moment}`);
}

export function decodeLiveCursor(cursor: string | null | undefined): LiveFeedCursor | undefined {
  if (cursor === undefined || cursor === null || cursor === "") return undefined;
  const text = decode(cursor);
  const s = SNAPSHOT.exec(text);
  if (s) {
    const last = decodeKey(s[4], s[5], s[6]);
    return { phase: "snapshot", snapshotId: s[1]!, moment: Number(s[2]), index: Number(s[3]), ...(last ? { last } : {}) };
  }
  const p = RECOMPUTE.exec(text);
  if (p) return { phase: "recompute", moment: Number(p[1]), last: decodeKey(p[2], p[3], p[4])! };
  const r = REPLAYS.exec(text);
  if (r && (r[3] === undefined || isInt8Id(r[3]))) {
    return { phase: "replays", moment: Number(r[1]), ...(r[2] !== undefined ? { after: { t: Number(r[2]), id: r[3]! } } : {}) };
  }
  throw invalidCursor();
}

const PHASE_CODE: Record<HostPhase, string> = { live: "l", upcoming: "u", ended: "e" };
const CODE_PHASE: Record<string, HostPhase> = { l: "live", u: "upcoming", e: "ended" };

export function encodeHostCursor(c: HostListCursor): string {
  return encode(`h.${PHASE_CODE[c.phase]}.${c.after.t}.${c.after.id}`);
}

export function decodeHostCursor(cursor: string | null | undefined): HostListCursor | undefined {
  if (cursor === undefined || cursor === null || cursor === "") return undefined;
  const m = HOST.exec(decode(cursor));
  if (!m || !isInt8Id(m[3]!)) throw invalidCursor();
  return { phase: CODE_PHASE[m[1]!]!, after: { t: Number(m[2]), id: m[3]! } };
}
