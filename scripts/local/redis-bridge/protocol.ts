// The Upstash REST wire format, as @upstash/redis 1.39 speaks it: request bodies are
// validated into Redis commands here, and Redis replies are turned back into JSON
// (base64 for every string when the client asks for it).
import { createHash } from "node:crypto";

/** A request the bridge answers with `{"error": message}` and this HTTP status. */
export class BridgeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "BridgeError";
  }
}

export interface RedisCommand {
  /**
   * Upper-cased on purpose: ioredis applies reply transformers by exact lower-case
   * name (HGETALL would become an object); upper case keeps every reply raw.
   */
  name: string;
  args: string[];
}

/** Entry of a `/pipeline` or `/multi-exec` reply. */
export type ReplyEntry = { result: unknown } | { error: string };

// They block a pooled connection, or change its state for every later request on it.
const BLOCKING = ["BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF"];
const CONNECTION_STATE = [
  "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
  "MONITOR", "SELECT", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "QUIT", "RESET",
  "CLIENT", "HELLO", "AUTH", "READONLY", "READWRITE", "ASKING", "SYNC", "PSYNC", "REPLCONF",
  // Not connection state, but they stop or stall the shared server for everyone.
  "SHUTDOWN", "DEBUG", "REPLICAOF", "SLAVEOF", "FAILOVER",
];
const REFUSED = new Map<string, string>([
  ...BLOCKING.map((name) => [name, "blocking commands"] as const),
  ...CONNECTION_STATE.map((name) => [name, "connection-state commands"] as const),
]);

function refusal(name: string, args: string[]): string | undefined {
  const reason = REFUSED.get(name);
  if (reason) return `ERR ${name} is not supported by the local Redis bridge (${reason} would break pooled connections)`;
  if ((name === "XREAD" || name === "XREADGROUP") && args.some((a) => a.toUpperCase() === "BLOCK")) {
    return `ERR ${name} with BLOCK is not supported by the local Redis bridge`;
  }
  return undefined;
}

export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new BridgeError(400, "ERR invalid request: the body is not valid JSON");
  }
}

/** Body of POST `/`: one command, e.g. `["zadd","k",1,"m"]`. */
export function parseSingle(body: unknown): RedisCommand {
  return toCommand(body, "the body");
}

/** Body of `/pipeline` and `/multi-exec`: a non-empty array of commands. */
export function parseBatch(body: unknown): RedisCommand[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new BridgeError(400, "ERR invalid request: the body must be a non-empty JSON array of commands");
  }
  const commands = new Array<RedisCommand>(body.length);
  for (let i = 0; i < body.length; i++) commands[i] = toCommand(body[i], `command ${i}`);
  return commands;
}

function toCommand(value: unknown, where: string): RedisCommand {
  if (!Array.isArray(value) || value.length === 0 || typeof value[0] !== "string" || value[0] === "") {
    throw new BridgeError(400, `ERR invalid request: ${where} must be a non-empty JSON array starting with a command name`);
  }
  const name = value[0].toUpperCase();
  const args = new Array<string>(value.length - 1);
  for (let i = 1; i < value.length; i++) {
    const arg: unknown = value[i];
    if (typeof arg === "string") args[i - 1] = arg;
    // The client sends numbers as JSON numbers, and booleans as JSON booleans
    // (its serializer passes them through): Redis sees their decimal text either way.
    else if (typeof arg === "number" || typeof arg === "boolean") args[i - 1] = String(arg);
    else {
      throw new BridgeError(400, `ERR invalid request: argument ${i} of ${where} must be a string or a number`);
    }
  }
  const refused = refusal(name, args);
  if (refused) throw new BridgeError(400, refused);
  return { name, args: portableScripts(name, args) };
}

// Script flags only Upstash understands: @upstash/ratelimit >= 2.2 starts its scripts with
// `#!lua flags=allow-key-locking`, which redis-server refuses ("Unexpected flag in script
// shebang"). The bridge drops them, and maps the client's SHA (of the original script) to
// the SHA Redis knows, so EVALSHA keeps working after the first EVAL.
const UPSTASH_ONLY_FLAGS = new Set(["allow-key-locking"]);
const scriptShas = new Map<string, string>();

function portableScripts(name: string, args: string[]): string[] {
  const scriptAt = name === "EVAL" || name === "EVAL_RO" ? 0 : name === "SCRIPT" && args[0]?.toUpperCase() === "LOAD" ? 1 : -1;
  if (scriptAt >= 0 && args[scriptAt] !== undefined) {
    const original = args[scriptAt]!;
    const portable = withoutUpstashFlags(original);
    if (portable === original) return args;
    if (scriptShas.size > 1000) scriptShas.clear();
    scriptShas.set(sha1(original), sha1(portable));
    const out = [...args];
    out[scriptAt] = portable;
    return out;
  }
  if ((name === "EVALSHA" || name === "EVALSHA_RO") && args[0] !== undefined) {
    const known = scriptShas.get(args[0].toLowerCase());
    if (known) return [known, ...args.slice(1)];
  }
  return args;
}

function withoutUpstashFlags(script: string): string {
  const match = /^#!lua flags=([^\n]*)/.exec(script);
  if (!match) return script;
  const flags = match[1]!.split(",").map((f) => f.trim()).filter((f) => f && !UPSTASH_ONLY_FLAGS.has(f));
  return `#!lua${flags.length ? ` flags=${flags.join(",")}` : ""}${script.slice(match[0].length)}`;
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/**
 * A Redis reply as JSON. ioredis hands over Buffers (binary-safe), numbers, null and
 * nested arrays; status replies such as OK are Buffers too, so they are encoded like
 * any string, as Upstash does.
 */
export function encodeValue(value: unknown, base64: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  if (typeof value === "number") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = encodeValue(value[i], base64);
    return out;
  }
  // An error nested in an array (a Lua table holding error_reply) has no JSON form of its own.
  if (value instanceof Error) return encodeValue(Buffer.from(value.message), base64);
  if (typeof value === "string") return base64 ? Buffer.from(value).toString("base64") : value;
  return encodeValue(Buffer.from(String(value)), base64);
}

export function encodeEntry(error: Error | null, value: unknown, base64: boolean): ReplyEntry {
  // Errors are never base64-encoded: the client reads them as they are.
  return error ? { error: error.message } : { result: encodeValue(value, base64) };
}
