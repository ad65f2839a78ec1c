// systemPingFunction in isolation (@inngest/test): the Redis write is the one mocked step,
// so this checks the key the function reports, which health checks and tests read back.
import { InngestTestEngine } from "@inngest/test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemPingFunction } from "@/inngest/functions/system-ping";
import { resetEnvCache } from "@/lib/env";

describe("system-ping", () => {
  beforeEach(() => {
    // redisKey() reads the validated env; no Redis is contacted because the step is mocked.
    vi.stubEnv("DATABASE_URL", "postgres://unused");
    vi.stubEnv("UPSTASH_REDIS_REST_URL", "http://127.0.0.1:1");
    vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", "unused");
    vi.stubEnv("REDIS_KEY_PREFIX", "t1:");
    resetEnvCache();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("writes the pong in one step and returns the prefixed key", async () => {
    const t = new InngestTestEngine({
      function: systemPingFunction,
      events: [{ name: "system/ping", data: { token: "abc-123" } }],
      steps: [{ id: "write-pong", handler: () => undefined }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ key: "t1:ping:{abc-123}" });
    expect(ctx.step.run).toHaveBeenCalledTimes(1);
    expect(ctx.step.run).toHaveBeenCalledWith("write-pong", expect.any(Function));
  });
});
