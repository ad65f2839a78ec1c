// Fixture Inngest functions for the orchestrator contract test. Each one exercises one
// piece of the SDK protocol and records what its bodies did in `probe`, so the test can
// assert behaviour a user would notice (a step ran once, a failure handler saw the error).
import { Inngest, NonRetriableError } from "inngest";

export interface Probe {
  calls: Record<string, number>;
  /** Per gauge: the most step bodies seen running at once. */
  maxActive: Record<string, number>;
  failures: Array<{ functionId: unknown; message: string; originalEvent: unknown }>;
  followUps: unknown[];
  /** What the SDK logged: the fixtures throw on purpose, so this stays out of test output. */
  sdkLog: string[];
}

export const APP_ID = "contract-test";

/** `keys`: a signed (cloud mode) client, as the app runs; without them the SDK's dev mode. */
export function createFixtures(baseUrl: string, keys?: { signingKey: string; eventKey: string }) {
  const probe: Probe = { calls: {}, maxActive: {}, failures: [], followUps: [], sdkLog: [] };
  const record = (level: string) => (...args: unknown[]) => void probe.sdkLog.push(`${level}: ${args.map(String).join(" ")}`);
  const logger = { info: record("info"), warn: record("warn"), error: record("error"), debug: () => {} };
  const inngest = new Inngest({ id: APP_ID, isDev: !keys, baseUrl, logger, ...(keys ?? {}) });
  const count = (key: string) => (probe.calls[key] = (probe.calls[key] ?? 0) + 1);
  /** Counts a step body's call and returns `value`. */
  const tally = <T>(key: string, value: T): T => {
    count(key);
    return value;
  };
  const active: Record<string, number> = {};
  /** Runs `work` while counting how many bodies share each gauge at the same time. */
  const gauged = async <T>(gauges: string[], ms: number, work: () => T): Promise<T> => {
    for (const g of gauges) {
      active[g] = (active[g] ?? 0) + 1;
      probe.maxActive[g] = Math.max(probe.maxActive[g] ?? 0, active[g]);
    }
    try {
      await new Promise((r) => setTimeout(r, ms));
      return work();
    } finally {
      for (const g of gauges) active[g]! -= 1;
    }
  };

  const multiStep = inngest.createFunction({ id: "multi-step", triggers: [{ event: "test/multi-step" }] }, async ({ step }) => {
    const a = await step.run("step-a", () => tally("step-a", 1));
    const b = await step.run("step-b", () => tally("step-b", a + 1));
    const c = await step.run("step-c", () => tally("step-c", b + 1));
    return { sum: a + b + c };
  });

  const parallel = inngest.createFunction({ id: "parallel", triggers: [{ event: "test/parallel" }] }, async ({ step }) => {
    const results = await Promise.all(
      [0, 1, 2].map((i) => step.run(`part-${i}`, () => gauged(["parallel"], 400, () => tally(`part-${i}`, i * 10)))),
    );
    return { results };
  });

  const flaky = inngest.createFunction({ id: "flaky", retries: 3, triggers: [{ event: "test/flaky" }] }, async ({ step }) => {
    return step.run("flaky-step", () => {
      if (count("flaky-step") < 3) throw new Error("transient");
      return "recovered";
    });
  });

  const alwaysFails = inngest.createFunction(
    {
      id: "always-fails",
      retries: 2,
      triggers: [{ event: "test/always-fails" }],
      onFailure: async ({ event, error }) => {
        probe.failures.push({ functionId: event.data.function_id, message: error.message, originalEvent: event.data.event });
      },
    },
    async ({ step }) => {
      await step.run("doomed", () => {
        count("doomed");
        throw new Error("boom");
      });
    },
  );

  const nonRetriable = inngest.createFunction({ id: "non-retriable", retries: 3, triggers: [{ event: "test/non-retriable" }] }, async ({ step }) => {
    await step.run("refuse", () => {
      count("refuse");
      throw new NonRetriableError("nope");
    });
  });

  const throwsOutsideSteps = inngest.createFunction({ id: "throws-outside-steps", retries: 1, triggers: [{ event: "test/throws" }] }, async () => {
    count("throws");
    throw new Error("no step to blame");
  });

  const sender = inngest.createFunction({ id: "sender", triggers: [{ event: "test/send" }] }, async ({ event, step }) => {
    await step.sendEvent("emit-follow-up", { name: "test/follow-up", data: { n: event.data.n } });
  });

  const followUp = inngest.createFunction({ id: "follow-up", triggers: [{ event: "test/follow-up" }] }, async ({ event }) => {
    probe.followUps.push(event.data);
  });

  const sleeper = inngest.createFunction({ id: "sleeper", triggers: [{ event: "test/sleep" }] }, async ({ step }) => {
    const before = await step.run("before", () => Date.now());
    await step.sleep("nap", "1s");
    const after = await step.run("after", () => Date.now());
    return { slept: after - before };
  });

  const child = inngest.createFunction({ id: "child" }, async ({ event }) => {
    count("child");
    return { doubled: Number((event.data as { x?: unknown }).x) * 2 };
  });

  const invoker = inngest.createFunction({ id: "invoker", triggers: [{ event: "test/invoke" }] }, async ({ step }) => {
    return step.invoke("call-child", { function: child, data: { x: 21 } });
  });

  const limited = inngest.createFunction(
    { id: "limited-by-user", concurrency: { limit: 1, key: "event.data.user" }, triggers: [{ event: "test/limited-by-user" }] },
    async ({ event, step }) => {
      await step.run("work", () => gauged(["limited-all", `limited-${String(event.data.user)}`], 400, () => count("limited")));
    },
  );

  const serial = inngest.createFunction({ id: "serial", concurrency: 1, triggers: [{ event: "test/serial" }] }, async ({ step }) => {
    await step.run("work", () => gauged(["serial"], 100, () => count("serial")));
  });

  const idempotent = inngest.createFunction(
    { id: "idempotent", idempotency: "event.data.userId", triggers: [{ event: "test/idempotent" }] },
    async ({ event }) => count(`idempotent-${String(event.data.userId)}`),
  );

  const counted = inngest.createFunction({ id: "counted", triggers: [{ event: "test/counted" }, { event: "test/wild/*" }] }, async ({ event }) => {
    count(`counted-${String(event.data.tag)}`);
  });

  const slow = inngest.createFunction({ id: "slow", triggers: [{ event: "test/slow" }] }, async ({ step }) => {
    await step.run("slow-step", () => gauged([], 300, () => count("slow")));
  });

  const waiter = inngest.createFunction({ id: "waiter", triggers: [{ event: "test/wait" }] }, async ({ step }) => {
    const approval = await step.waitForEvent("wait-approval", { event: "test/approved", match: "data.requestId", timeout: "10s" });
    return { approvedBy: approval?.data.by ?? null };
  });

  // Options the orchestrator cannot honour: sync must report each of them.
  const reported = inngest.createFunction(
    {
      id: "reported",
      triggers: [{ event: "test/reported" }, { cron: "0 * * * *" }],
      throttle: { limit: 1, period: "1s" },
      idempotency: "event.data.ids[0]",
    },
    async () => null,
  );

  const functions = [
    multiStep, parallel, flaky, alwaysFails, nonRetriable, throwsOutsideSteps, sender, followUp, sleeper, child, invoker,
    limited, serial, idempotent, counted, slow, waiter, reported,
  ];
  return { inngest, functions, probe };
}
