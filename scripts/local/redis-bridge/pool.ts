// A few ioredis connections shared round-robin by the bridge. Each HTTP request runs
// as one ioredis pipeline on one connection, so its commands keep their order and reach
// Redis in a single write; failures of the connection itself surface as 503/504.
import { Redis, ReplyError, type ChainableCommander } from "ioredis";
import { LocalServiceError } from "../problems";
import { BridgeError, type RedisCommand } from "./protocol";

/** One command's outcome, as ioredis reports it: `[error, reply]`. */
export type RawReply = [Error | null, unknown];

export interface RedisPool {
  pipeline(commands: RedisCommand[]): Promise<RawReply[]>;
  transaction(commands: RedisCommand[]): Promise<RawReply[]>;
  close(): Promise<void>;
}

export async function connectPool(opts: { redisUrl: string; size: number; timeoutMs: number }): Promise<RedisPool> {
  const { redisUrl, timeoutMs } = opts;
  // Start-up failures are reported by the throw below; warnings are for later outages.
  let started = false;
  let warned = false;
  const clients = Array.from({ length: Math.max(1, Math.floor(opts.size)) }, () => {
    const client = new Redis(redisUrl, {
      lazyConnect: true,
      // Fail fast while disconnected instead of queueing requests behind an outage.
      enableOfflineQueue: false,
      // In-flight commands fail when their connection drops, rather than being
      // re-sent after a reconnect (an INCR must not run twice).
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      connectionName: "starling-redis-bridge",
    });
    // One line per outage, not one per connection or per retry.
    client.on("error", (error: Error) => {
      if (!started || warned) return;
      warned = true;
      console.warn(`[redis-bridge] lost Redis at ${redactUrl(redisUrl)}: ${error.message}; reconnecting`);
    });
    client.on("ready", () => {
      if (warned) console.warn(`[redis-bridge] Redis at ${redactUrl(redisUrl)} is back`);
      warned = false;
    });
    return client;
  });

  try {
    await Promise.all(clients.map((client) => client.connect()));
  } catch (error) {
    for (const client of clients) client.disconnect();
    throw new LocalServiceError(
      `The Redis bridge cannot reach Redis at ${redactUrl(redisUrl)}: ${(error as Error).message}`,
    );
  }
  started = true;

  let next = 0;
  function pick(): Redis {
    // Prefer a live connection so one broken socket does not fail every Nth request.
    for (let tries = 0; tries < clients.length; tries++) {
      const client = clients[next]!;
      next = (next + 1) % clients.length;
      if (client.status === "ready") return client;
    }
    return clients[next]!;
  }

  async function run(commands: RedisCommand[], wrap: boolean): Promise<RawReply[]> {
    const client = pick();
    // Recycle the connection on a timeout: its queue belongs to a Redis that stopped answering.
    return execPipeline(queue(client.pipeline(), commands, wrap), timeoutMs, () => client.disconnect(true));
  }

  return {
    pipeline: (commands) => run(commands, false),

    transaction: async (commands) => transactionReplies(await run(commands, true)),

    async close() {
      await Promise.all(
        clients.map(async (client) => {
          try {
            await client.quit();
          } catch {
            client.disconnect();
          }
        }),
      );
    },
  };
}

/**
 * Queues commands on an ioredis pipeline. MULTI/EXEC are queued by hand (not
 * client.multi()) so every reply stays a raw Buffer; one pipeline is one socket write, so
 * nothing can interleave.
 */
export function queue(pipeline: ChainableCommander, commands: RedisCommand[], wrap: boolean): ChainableCommander {
  if (wrap) pipeline.callBuffer("MULTI", []);
  for (const command of commands) pipeline.callBuffer(command.name, command.args);
  if (wrap) pipeline.callBuffer("EXEC", []);
  return pipeline;
}

/**
 * Runs a pipeline under a deadline (504 past it, after `onTimeout`). A reply error is the
 * command's own business; any other error is the connection's (503).
 */
export async function execPipeline(pipeline: ChainableCommander, timeoutMs: number, onTimeout: () => void): Promise<RawReply[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new BridgeError(504, `ERR Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const done = pipeline.exec().then((replies) => replies ?? []);
  try {
    const replies = (await Promise.race([done, timeout])) as RawReply[];
    for (const [error] of replies) {
      if (error && !(error instanceof ReplyError)) throw new BridgeError(503, `ERR Redis is unavailable: ${error.message}`);
    }
    return replies;
  } catch (error) {
    if (error instanceof BridgeError) throw error;
    throw new BridgeError(503, `ERR Redis is unavailable: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    done.catch(() => undefined);
  }
}

/** The replies of MULTI … EXEC as the commands' own replies; a transaction that did not run is a 400. */
export function transactionReplies(replies: RawReply[]): RawReply[] {
  const [execError, execReply] = replies[replies.length - 1]!;
  if (execError) {
    // EXECABORT: a command failed to queue (unknown, wrong arity); nothing ran.
    const queueError = replies.slice(1, -1).find(([error]) => error)?.[0];
    throw new BridgeError(400, queueError ? `${execError.message} ${queueError.message}` : execError.message);
  }
  if (!Array.isArray(execReply)) throw new BridgeError(500, "ERR the transaction was aborted");
  return execReply.map((reply): RawReply => (reply instanceof Error ? [reply, null] : [null, reply]));
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable REDIS_URL)";
  }
}
