// Smoke function: answers a system/ping by writing the token to Redis, so tests and the
// health check can prove the whole event path (send → orchestrator → serve → Redis).
import { inngest } from "@/lib/events/client";
import { systemPing } from "@/lib/events/schemas";
import { getRedis, redisKey } from "@/lib/redis";

export const PING_TTL_SECONDS = 300;

export const systemPingFunction = inngest.createFunction(
  { id: "system-ping", triggers: [systemPing], retries: 2 },
  async ({ event, step }) => {
    const key = redisKey("ping", event.data.token);
    await step.run("write-pong", async () => {
      await getRedis().set(key, "pong", { ex: PING_TTL_SECONDS });
    });
    return { key };
  },
);
