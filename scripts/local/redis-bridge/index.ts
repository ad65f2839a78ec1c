// Local stand-in for Upstash's REST endpoint: an HTTP server speaking the protocol of
// @upstash/redis (POST /, /pipeline, /multi-exec) in front of a plain redis-server, so the
// app keeps one Redis client everywhere. Like Upstash's "serverless-redis-http". In front
// of a Redis Cluster (`clusterNodes`) it routes each command to its node (cluster-pool.ts).
import http from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { LocalServiceError } from "../problems";
import { connectClusterPool } from "./cluster-pool";
import { connectPool, type RedisPool } from "./pool";
import {
  BridgeError,
  encodeEntry,
  encodeValue,
  parseBatch,
  parseJsonBody,
  parseSingle,
} from "./protocol";

export interface RedisBridge {
  url: string;
  close(): Promise<void>;
}

export interface RedisBridgeOptions {
  /** A single Redis; ignored when `clusterNodes` is given. */
  redisUrl: string;
  /** Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES): the bridge speaks to it through ioredis' Cluster client. */
  clusterNodes?: Array<{ host: string; port: number }>;
  token: string;
  /** 0 = a free port chosen by the kernel. */
  port?: number;
  /** Default 127.0.0.1: the bridge holds no secrets but the token, so stay on loopback. */
  host?: string;
  /** ioredis connections shared round-robin; default 4. */
  poolSize?: number;
  /**
   * Default 30 s: long enough for any sane script or pipeline; past it Redis is stuck, and
   * the client gets a 504 rather than a hang.
   */
  requestTimeoutMs?: number;
}

// Far above any fan-out pipeline (5,000 commands are ~0.5 MB), far below trouble.
const MAX_BODY_BYTES = 10 * 1024 * 1024;
// Beyond this an oversized body is cut off rather than drained to answer 413 politely.
const MAX_DRAIN_BYTES = 4 * MAX_BODY_BYTES;

type Route = "single" | "pipeline" | "multi-exec";
const ROUTES = new Map<string, Route>([
  ["/", "single"],
  ["/pipeline", "pipeline"],
  ["/multi-exec", "multi-exec"],
]);

export async function startRedisBridge(opts: RedisBridgeOptions): Promise<RedisBridge> {
  if (!opts.token) throw new LocalServiceError("The Redis bridge needs a non-empty token.");
  const host = opts.host ?? "127.0.0.1";
  const timeoutMs = opts.requestTimeoutMs ?? 30_000;
  const pool = opts.clusterNodes?.length
    ? await connectClusterPool({ nodes: opts.clusterNodes, timeoutMs })
    : await connectPool({ redisUrl: opts.redisUrl, size: opts.poolSize ?? 4, timeoutMs });
  const tokenDigest = digest(opts.token);

  const server = http.createServer((req, res) => {
    handle(req, res, pool, tokenDigest).catch((error: unknown) => {
      // Only a bug gets here: answer, and say so once, without the request body.
      console.error("[redis-bridge] unexpected error:", error);
      send(res, 500, { error: "ERR internal error in the local Redis bridge" });
    });
  });
  // Clients (undici) reuse sockets; keep them longer than Node's 5 s default so bursts of
  // auto-pipelined requests do not keep reconnecting.
  server.keepAliveTimeout = 30_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await pool.close();
    throw new LocalServiceError(
      `The Redis bridge cannot listen on ${host}:${opts.port ?? 0}: ${(error as Error).message}`,
    );
  }
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  // A plain closure: the launcher passes `bridge.close` around unbound.
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // In-flight requests get a moment to finish; then their sockets go too.
      const force = setTimeout(() => server.closeAllConnections(), 1_000);
      await closed;
      clearTimeout(force);
      await pool.close();
    })());

  return { url: `http://${urlHost(host)}:${port}`, close };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pool: RedisPool,
  tokenDigest: Buffer,
): Promise<void> {
  try {
    const route = ROUTES.get((req.url ?? "/").split("?", 1)[0]!);
    if (!route) throw new BridgeError(404, "ERR not found: the bridge serves POST /, /pipeline and /multi-exec");
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      throw new BridgeError(405, "ERR method not allowed: use POST");
    }
    if (!authorised(req.headers.authorization, tokenDigest)) throw new BridgeError(401, "Unauthorized");

    const body = parseJsonBody(await readBody(req));
    const encoding = req.headers["upstash-encoding"];
    const base64 = typeof encoding === "string" && encoding.toLowerCase() === "base64";

    if (route === "single") {
      const [error, value] = (await pool.pipeline([parseSingle(body)]))[0]!;
      if (error) throw new BridgeError(400, error.message);
      return send(res, 200, { result: encodeValue(value, base64) });
    }
    const commands = parseBatch(body);
    const replies = route === "pipeline" ? await pool.pipeline(commands) : await pool.transaction(commands);
    const entries = new Array<unknown>(replies.length);
    for (let i = 0; i < replies.length; i++) entries[i] = encodeEntry(replies[i]![0], replies[i]![1], base64);
    send(res, 200, entries);
  } catch (error) {
    if (!(error instanceof BridgeError)) throw error;
    send(res, error.status, { error: error.message });
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.destroy();
      else chunks.length = 0;
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) reject(new BridgeError(413, `ERR request body larger than ${MAX_BODY_BYTES} bytes`));
      else resolve(Buffer.concat(chunks, size));
    });
    // The client went away (or was cut off above): there is nobody left to answer.
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new BridgeError(400, "ERR request aborted"));
    });
  });
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function authorised(header: string | undefined, tokenDigest: Buffer): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? "");
  // Comparing fixed-length digests keeps the comparison constant-time whatever the length.
  return match !== null && timingSafeEqual(digest(match[1]!), tokenDigest);
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
