// The Live feed's and a host's session list's opaque cursors (base64url). Neither is a
// (t, id) position alone, so they have their own codec beside lib/cursor.ts:
// - Live feed: in the snapshot (its id, its moment M, how many entries were shown), or
//   in the replays that had ended by M (M, and the last replay shown, if any).
// - A host's list: its phase (live, upcoming, ended) and the last session shown.
// A tampered or truncated cursor is a 400 `invalid_cursor`.
import { badRequest } from "@/lib/errors";
import type { Position } from "@/lib/cursor";
import { isInt8Id } from "@/lib/validation";

export type LiveFeedCursor =
  | { phase: "snapshot"; snapshotId: string; moment: number; index: number }
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
const SNAPSHOT = new RegExp(`^s\\.(${UUID})\\.(\\d{1,15})\\.(\\d{1,6})$`);
const REPLAYS = /^r\.(\d{1,15})(?:\.(\d{1,15})\.(\d{1,19}))?$/;
const HOST = /^h\.([lue])\.(\d{1,15})\.(\d{1,19})$/;

export function encodeLiveCursor(c: LiveFeedCursor): string {
  if (c.phase === "snapshot") return encode(`s.${c.snapshotId}.${c.moment}.${c.index}`);
  return encode(c.after ? `r.${c.moment}.${c.after.t}.${c.after.id}` : `r.${c.moment}`);
}

export function decodeLiveCursor(cursor: string | null | undefined): LiveFeedCursor | undefined {
  if (cursor === undefined || cursor === null || cursor === "") return undefined;
  const text = decode(cursor);
  const s = SNAPSHOT.exec(text);
  if (s) return { phase: "snapshot", snapshotId: s[1]!, moment: Number(s[2]), index: Number(s[3]) };
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
