// The bridge's way to a Redis Cluster (REDIS_CLUSTER_NODES): one ioredis Cluster client,
// and a pipeline split by node. Each command goes to the node serving its keys' slot; the
// commands for one node go in one ioredis pipeline (their order kept), the nodes' parts run
// concurrently, and the replies are put back in request order with per-command errors, as
// Upstash reports them.
//
// What a cluster cannot do in one command is not faked: a script, a transaction or any
// other command whose keys span slots gets Redis' own CROSSSLOT error, so a key-layout
// regression is loud. Only commands whose meaning survives splitting are split (DEL,
// UNLINK, EXISTS, TOUCH: counts summed; MGET: values reassembled), and the keyless
// commands that concern the whole keyspace run on every master (FLUSHDB, FLUSHALL, SCRIPT
// LOAD/EXISTS/FLUSH, KEYS, DBSIZE, and SCAN with a cursor that walks the masters in turn).
import { Cluster, Command, ReplyError } from "ioredis";
import { keySlot } from "../../../lib/redis-slot";
import { LocalServiceError } from "../problems";
import { execPipeline, queue, transactionReplies, type RawReply, type RedisPool } from "./pool";
import { BridgeError, type RedisCommand } from "./protocol";

const CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
const SUMMED = new Set(["DEL", "UNLINK", "EXISTS", "TOUCH"]);
const EVERY_MASTER = new Set(["FLUSHDB", "FLUSHALL", "SCRIPT", "KEYS", "DBSIZE", "SCAN"]);

/** One command as sent: its slot (null: no keys, any node), and where its reply goes. */
interface Part {
  slot: number | null;
  command: RedisCommand;
}

/** A request command, planned: parts and how their replies make its reply; or everywhere; or refused. */
type Plan =
  | { kind: "parts"; parts: Part[]; combine: (replies: RawReply[]) => RawReply }
  | { kind: "every-master"; command: RedisCommand }
  | { kind: "refused"; error: string };

export function parseClusterNodes(value: string): Array<{ host: string; port: number }> {
  const nodes = value.split(",").map((s) => s.trim()).filter(Boolean).map((hostPort) => {
    const at = hostPort.lastIndexOf(":");
    const port = Number(hostPort.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new LocalServiceError(`REDIS_CLUSTER_NODES: "${hostPort}" is not host:port`);
    }
    return { host: hostPort.slice(0, at).replace(/^\[(.*)\]$/, "$1"), port };
  });
  if (nodes.length === 0) throw new LocalServiceError("REDIS_CLUSTER_NODES names no node (host:port,host:port,…)");
  return nodes;
}

export async function connectClusterPool(opts: { nodes: Array<{ host: string; port: number }>; timeoutMs: number }): Promise<RedisPool> {
  const { timeoutMs } = opts;
  const cluster = new Cluster(opts.nodes, {
    lazyConnect: true,
    // As the single-node pool: fail fast during an outage, never re-send a command.
    enableOfflineQueue: false,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    redisOptions: { connectionName: "starling-redis-bridge", maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false },
  });
  let started = false;
  cluster.on("error", (error: Error) => {
    if (started) console.warn(`[redis-bridge] Redis Cluster: ${error.message}`);
  });
  try {
    await cluster.connect();
  } catch (error) {
    cluster.disconnect();
    const where = opts.nodes.map((n) => `${n.host}:${n.port}`).join(",");
    throw new LocalServiceError(`The Redis bridge cannot reach the Redis Cluster at ${where}: ${(error as Error).message}`);
  }
  started = true;

  /** The node group serving a slot (ioredis pipelines one group at a time). */
  const groupOf = (slot: number | null) => (slot === null ? "" : (cluster.slots[slot] ?? []).join(";"));
  const masters = () =>
    cluster.nodes("master").sort((a, b) => `${a.options.host}:${a.options.port}`.localeCompare(`${b.options.host}:${b.options.port}`));

  async function runParts(parts: Part[]): Promise<RawReply[]> {
    const byGroup = new Map<string, number[]>();
    for (let i = 0; i < parts.length; i++) {
      const group = groupOf(parts[i]!.slot);
      const list = byGroup.get(group);
      if (list) list.push(i);
      else byGroup.set(group, [i]);
    }
    // Keyless commands ride along with any node's part.
    const keyless = byGroup.get("");
    if (keyless && byGroup.size > 1) {
      byGroup.delete("");
      byGroup.values().next().value!.push(...keyless);
    }
    const replies = new Array<RawReply>(parts.length);
    await Promise.all(
      [...byGroup.values()].map(async (indexes) => {
        const got = await execPipeline(queue(cluster.pipeline(), indexes.map((i) => parts[i]!.command), false), timeoutMs, () => {});
        indexes.forEach((i, j) => (replies[i] = got[j]!));
      }),
    );
    return replies;
  }

  async function onEveryMaster(command: RedisCommand): Promise<RawReply> {
    const nodes = masters();
    if (command.name === "SCAN") return scan(nodes, command);
    const replies = await Promise.all(nodes.map((node) => execPipeline(queue(node.pipeline(), [command], false), timeoutMs, () => {}).then((r) => r[0]!)));
    const failed = replies.find(([error]) => error);
    if (failed) return failed;
    const values = replies.map(([, value]) => value);
    const sub = command.name === "SCRIPT" ? command.args[0]?.toUpperCase() : undefined;
    if (command.name === "KEYS") return [null, values.flat()];
    if (command.name === "DBSIZE") return [null, values.reduce((sum: number, n) => sum + Number(n), 0)];
    // A script is "there" only if every master has it.
    if (sub === "EXISTS") return [null, (values[0] as number[]).map((_, i) => (values.every((v) => (v as number[])[i] === 1) ? 1 : 0))];
    return [null, values[0]];
  }

  /** SCAN over every master: the cursor is nodeCursor × masters + the master's index; 0 when all are done. */
  async function scan(nodes: ReturnType<typeof masters>, command: RedisCommand): Promise<RawReply> {
    let cursor: bigint;
    try {
      cursor = BigInt(command.args[0] ?? "x");
    } catch {
      return [new ReplyError("ERR invalid cursor"), null];
    }
    const count = BigInt(nodes.length);
    const index = Number(cursor % count);
    const [error, reply] = (await execPipeline(queue(nodes[index]!.pipeline(), [{ name: "SCAN", args: [String(cursor / count), ...command.args.slice(1)] }], false), timeoutMs, () => {}))[0]!;
    if (error) return [error, null];
    const [next, keys] = reply as [Buffer, Buffer[]];
    const nodeNext = BigInt(next.toString());
    const composite = nodeNext !== 0n ? nodeNext * count + BigInt(index) : index + 1 < nodes.length ? BigInt(index + 1) : 0n;
    return [null, [Buffer.from(String(composite)), keys]];
  }

  return {
    async pipeline(commands) {
      const out = new Array<RawReply>(commands.length);
      let pending: Array<{ index: number; plan: Extract<Plan, { kind: "parts" }> }> = [];
      // Whole-keyspace commands are barriers: what came before them runs first.
      const flush = async () => {
        if (pending.length === 0) return;
        const parts = pending.flatMap(({ plan }) => plan.parts);
        const replies = await runParts(parts);
        let at = 0;
        for (const { index, plan } of pending) {
          out[index] = plan.combine(replies.slice(at, at + plan.parts.length));
          at += plan.parts.length;
        }
        pending = [];
      };
      for (let i = 0; i < commands.length; i++) {
        const plan = planOf(commands[i]!);
        if (plan.kind === "refused") out[i] = [new ReplyError(plan.error), null];
        else if (plan.kind === "parts") pending.push({ index: i, plan });
        else {
          await flush();
          out[i] = await onEveryMaster(plan.command);
        }
      }
      await flush();
      return out;
    },

    async transaction(commands) {
      // One slot for the whole transaction, as Redis Cluster requires; refused before anything runs.
      const slots = new Set<number>();
      for (const command of commands) {
        if (EVERY_MASTER.has(command.name)) throw new BridgeError(400, `ERR ${command.name} cannot run in a transaction on a Redis Cluster`);
        for (const key of keysOf(command)) slots.add(keySlot(key));
      }
      if (slots.size > 1) throw new BridgeError(400, `${CROSSSLOT} (a transaction must stay in one slot)`);
      const pipeline = queue(cluster.pipeline(), commands, true);
      return transactionReplies(await execPipeline(pipeline, timeoutMs, () => {}));
    },

    async close() {
      try {
        await cluster.quit();
      } catch {
        cluster.disconnect();
      }
    },
  };
}

function keysOf(command: RedisCommand): Array<string | Buffer> {
  return new Command(command.name, [...command.args]).getKeys() as Array<string | Buffer>;
}

export function planOf(command: RedisCommand): Plan {
  const { name, args } = command;
  if (EVERY_MASTER.has(name)) return { kind: "every-master", command };
  const keys = keysOf(command);
  const slots = keys.map((key) => keySlot(key));
  const first = slots[0] ?? null;
  if (slots.every((slot) => slot === first)) return { kind: "parts", parts: [{ slot: first, command }], combine: (r) => r[0]! };
  if (SUMMED.has(name) || name === "MGET") {
    // One part per slot; replies summed (counts) or put back in key order (MGET).
    const bySlot = new Map<number, number[]>();
    slots.forEach((slot, i) => bySlot.set(slot, [...(bySlot.get(slot) ?? []), i]));
    const groups = [...bySlot.entries()];
    const parts = groups.map(([slot, indexes]) => ({ slot, command: { name, args: indexes.map((i) => args[i]!) } }));
    return {
      kind: "parts",
      parts,
      combine(replies) {
        const failed = replies.find(([error]) => error);
        if (failed) return failed;
        if (name !== "MGET") return [null, replies.reduce((sum, [, n]) => sum + Number(n), 0)];
        const values = new Array<unknown>(keys.length);
        groups.forEach(([, indexes], g) => indexes.forEach((i, j) => (values[i] = (replies[g]![1] as unknown[])[j])));
        return [null, values];
      },
    };
  }
  return { kind: "refused", error: CROSSSLOT };
}
