// The model-based test of the whole feed (tests/feed/support/model.ts) through two app
// instances sharing one Postgres, one Redis and one Inngest: every operation and every
// page of a check goes through one of two copies of the app's modules, chosen at random,
// and the background functions run in both (the orchestrator's calls alternate between
// them). What one copy remembers per process (the pulled-lists guess, the fan-out's post
// check, its settings) must never make it serve a feed the other's changes have outdated.
// The copies share what globalThis holds (the Postgres pool, the Redis client and its
// breaker, the outbox relay): connections, not facts. Two real processes are the fault
// suite's `--instances 2` (faults/README.md).
//   FEED_MODEL_SEED=7 FEED_MODEL_STEPS=3000 npx vitest run tests/feed/model-two-instances.test.ts
import { expect, it, vi } from "vitest";
import type { RouteModule } from "../local/support/serve-route";
import { feedEngineForFile } from "./support/engine";
import { loadFeedApp, runFeedModel } from "./support/model";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

// Another seed than model.test.ts's, so the two files do not replay the same run.
const SEED = Number(process.env.FEED_MODEL_SEED ?? 20261202);
const STEPS = Number(process.env.FEED_MODEL_STEPS ?? 240);
const USERS = Number(process.env.FEED_MODEL_USERS ?? 9);

const engine = feedEngineForFile();

it(`two instances: feeds equal the SQL ground truth after random interleaved operations (seed ${SEED}, ${STEPS} steps)`, { timeout: Math.max(300_000, STEPS * 400) }, async () => {
  await runFeedModel({
    seed: SEED,
    steps: STEPS,
    users: USERS,
    settle: () => engine.settle(),
    apps: async () => {
      const first = await loadFeedApp("first");
      // A second registry: every app module evaluated again, with its own module-level state.
      vi.resetModules();
      const second = await loadFeedApp("second");
      // Really a second copy, not the first one's modules again.
      expect(second.getHomeFeed).not.toBe(first.getHomeFeed);
      engine.addInstance((await import("@/app/api/inngest/route")) as RouteModule);
      return [first, second];
    },
  });
});
