// A throwaway three-master Redis Cluster on loopback, for the tests that prove Starling's
// keys and scripts work past one Redis (TEST_REDIS_CLUSTER=1, tests/redis-cluster). Three
// `redis-server --cluster-enabled yes` processes in a temporary directory, joined with
// `redis-cli --cluster create … --cluster-replicas 0`, nothing kept on disk; `stop()`
// ends them and removes the directory.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { LocalServiceError, freePort, isPortTaken } from "./problems";

const run = promisify(execFile);

export interface LocalRedisCluster {
  /** `127.0.0.1:P1,127.0.0.1:P2,…`: the value for REDIS_CLUSTER_NODES. */
  nodes: string;
  ports: number[];
  stop(): Promise<void>;
}

export async function startRedisCluster(opts: { ports?: number[]; log?: (line: string) => void } = {}): Promise<LocalRedisCluster> {
  const ports = opts.ports ?? (await distinctFreePorts(3));
  if (ports.length < 3) throw new LocalServiceError("A Redis Cluster needs at least three masters");
  for (const port of ports) {
    // The cluster bus listens on port + 10000 too.
    if ((await isPortTaken(port)) || (await isPortTaken(port + 10_000))) {
      throw new LocalServiceError(`Port ${port} (or its cluster bus port ${port + 10_000}) is taken: choose other ports for the test Redis Cluster`);
    }
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "starling-redis-cluster-"));
  const children: ChildProcess[] = [];
  // A test runner that dies without its teardown (an uncaught error, a closed stdout) must
  // not leave the nodes holding their ports for the next run.
  const onExit = () => children.forEach((child) => child.kill("SIGKILL"));
  process.once("exit", onExit);
  const stop = async () => {
    process.off("exit", onExit);
    await Promise.all(children.map((child) => stopChild(child)));
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) children.push(await spawnNode(port, dir));
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    opts.log?.(`redis cluster: joining ${addresses.join(" ")}`);
    await run("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"], { timeout: 30_000 });
    await waitForClusterOk(ports, 15_000);
    return { nodes: addresses.join(","), ports, stop };
  } catch (error) {
    await stop();
    if (error instanceof LocalServiceError) throw error;
    throw new LocalServiceError(`The test Redis Cluster did not start: ${(error as Error).message.split("\n")[0]}`);
  }
}

function spawnNode(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    [
      "--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
      "--cluster-config-file", path.join(dir, `nodes-${port}.conf`), "--cluster-node-timeout", "5000",
      "--dir", dir, "--save", "", "--appendonly", "no", "--loglevel", "warning",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    child.once("error", (error) => reject(new LocalServiceError(`redis-server could not start: ${error.message}`)));
    child.once("exit", (code) => reject(new LocalServiceError(`redis-server on ${port} exited at start (code ${code}): ${stderr.trim()}`)));
    const deadline = Date.now() + 5_000;
    const poll = async () => {
      if (await isPortTaken(port)) return resolve(child);
      if (Date.now() > deadline) return reject(new LocalServiceError(`redis-server did not listen on ${port} within 5 s`));
      setTimeout(() => void poll(), 20);
    };
    void poll();
  });
}

/** Every node says cluster_state:ok (slots assigned and agreed), or this throws. */
async function waitForClusterOk(ports: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      ports.map((port) => run("redis-cli", ["-p", String(port), "cluster", "info"]).then((r) => /cluster_state:ok/.test(r.stdout), () => false)),
    );
    if (states.every(Boolean)) return;
    if (Date.now() > deadline) throw new LocalServiceError(`the Redis Cluster on ${ports.join(",")} did not reach cluster_state:ok within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Free ports whose cluster bus ports (+10000) are free too. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (port + 10_000 > 65_535 || ports.includes(port) || (await isPortTaken(port + 10_000))) continue;
    ports.push(port);
  }
  return ports;
}
