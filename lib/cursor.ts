// Opaque keyset cursors: the position of the last item a page showed (its time in ms and
// its id), base64url-encoded. Clients never parse them; a tampered one is a 400.
import { badRequest } from "./errors";
import { isInt8Id } from "./validation";

export interface Position {
  /** Milliseconds since the epoch: exact in a Redis score and in Postgres timestamp(3). */
  t: number;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.t}.${position.id}`).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined): Position | undefined {
  if (cursor === undefined || cursor === null || cursor === "") return undefined;
  const match = /^(\d{1,15})\.(\d{1,19})$/.exec(/^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString() : "");
  if (!match || !isInt8Id(match[2]!)) throw badRequest("invalid_cursor", "The cursor is not valid: use the nextCursor of a previous page.");
  return { t: Number(match[1]), id: match[2]! };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
