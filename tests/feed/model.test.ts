// The model-based test of the whole feed (tests/feed/support/model.ts), through one copy of
// the app. `npm test` runs a fixed seed. A longer run by hand:
//   FEED_MODEL_SEED=7 FEED_MODEL_STEPS=3000 npx vitest run tests/feed/model.test.ts
import { it, vi } from "vitest";
import { feedEngineForFile } from "./support/engine";
import { loadFeedApp, runFeedModel } from "./support/model";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const SEED = Number(process.env.FEED_MODEL_SEED ?? 20261123);
const STEPS = Number(process.env.FEED_MODEL_STEPS ?? 240);
const USERS = Number(process.env.FEED_MODEL_USERS ?? 9);

const engine = feedEngineForFile();

it(`feeds equal the SQL ground truth after random interleaved operations (seed ${SEED}, ${STEPS} steps)`, { timeout: Math.max(300_000, STEPS * 400) }, async () => {
  await runFeedModel({ seed: SEED, steps: STEPS, users: USERS, settle: () => engine.settle(), apps: async () => [await loadFeedApp("one")] });
});
