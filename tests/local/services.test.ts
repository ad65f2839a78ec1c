// Which backend each service uses is decided by the environment alone.
import { describe, expect, it } from "vitest";
import { startServices, usesRemoteInngest } from "@/scripts/local/services";

describe("startServices", () => {
  it("starts nothing local when every service has a real URL", async () => {
    const services = await startServices({
      env: {
        DATABASE_URL: "postgres://app:secret@db.example.com:5432/starling",
        UPSTASH_REDIS_REST_URL: "https://eu1-example.upstash.io",
        UPSTASH_REDIS_REST_TOKEN: "token",
        INNGEST_EVENT_KEY: "event-key",
        INNGEST_SIGNING_KEY: "signkey-prod-abc",
      },
    });
    try {
      expect(services.env).toEqual({});
      expect(services.children).toEqual({});
      expect(services.orchestrator).toBeUndefined();
      expect(services.summary.join("\n")).not.toMatch(/embedded|private|local/);
      expect(services.summary.join("\n")).not.toContain("secret"); // passwords are redacted
    } finally {
      await services.stop();
    }
  });

  it("puts REDIS_URL behind the bridge and starts no Redis of its own", async () => {
    const services = await startServices({
      env: { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL },
      inngest: false,
    });
    try {
      expect(Object.keys(services.env).sort()).toEqual(["UPSTASH_REDIS_REST_TOKEN", "UPSTASH_REDIS_REST_URL"]);
      expect(services.children).toEqual({});
      const res = await fetch(services.env.UPSTASH_REDIS_REST_URL!, {
        method: "POST",
        headers: { authorization: `Bearer ${services.env.UPSTASH_REDIS_REST_TOKEN}` },
        body: JSON.stringify(["PING"]),
      });
      expect(await res.json()).toEqual({ result: "PONG" });
    } finally {
      await services.stop();
    }
  });

  it("treats any of the SDK's connection variables as a real Inngest", () => {
    expect(usesRemoteInngest({})).toBe(false);
    for (const name of ["INNGEST_DEV", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY", "INNGEST_BASE_URL"]) {
      expect(usesRemoteInngest({ [name]: "x" })).toBe(true);
    }
  });
});
