import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const base = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
  UPSTASH_REDIS_REST_URL: "http://127.0.0.1:8079",
  UPSTASH_REDIS_REST_TOKEN: "token",
};

describe("parseEnv", () => {
  it("applies defaults and parses ADMIN_EMAILS case-insensitively", () => {
    const env = parseEnv({ ...base, ADMIN_EMAILS: " Ada@Example.com, ,bob@example.com" });
    expect(env.PORT).toBe(3000);
    expect(env.NODE_ENV).toBe("development");
    expect(env.REDIS_KEY_PREFIX).toBe("");
    expect(env.ADMIN_EMAILS).toEqual(["ada@example.com", "bob@example.com"]);
  });

  it("names every missing variable", () => {
    const error = (() => {
      try {
        parseEnv({});
      } catch (e) {
        return e as EnvError;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    const text = error!.problems.join("\n");
    expect(text).toContain("DATABASE_URL");
    expect(text).toContain("UPSTASH_REDIS_REST_URL");
    expect(text).toContain("UPSTASH_REDIS_REST_TOKEN");
  });

  it("rejects a non-URL Redis endpoint and a bad port", () => {
    expect(() => parseEnv({ ...base, UPSTASH_REDIS_REST_URL: "not a url" })).toThrow(/UPSTASH_REDIS_REST_URL/);
    expect(() => parseEnv({ ...base, PORT: "70000" })).toThrow(/PORT/);
  });

  it("refuses INNGEST_DEV in production, even pointing at a loopback orchestrator", () => {
    expect(() => parseEnv({ ...base, NODE_ENV: "production", INNGEST_DEV: "1" })).toThrow(/INNGEST_DEV is set in production/);
    expect(() => parseEnv({ ...base, NODE_ENV: "production", INNGEST_DEV: "http://127.0.0.1:8288", STARLING_LOCAL_INNGEST: "1" })).toThrow(
      /INNGEST_DEV/,
    );
  });

  it("allows INNGEST_DEV in development, and signed mode in production", () => {
    expect(parseEnv({ ...base, NODE_ENV: "development", INNGEST_DEV: "1" }).INNGEST_DEV).toBe("1");
    const signed = { INNGEST_SIGNING_KEY: "signkey-local-00ff", INNGEST_EVENT_KEY: "k", INNGEST_BASE_URL: "http://127.0.0.1:8288" };
    expect(parseEnv({ ...base, NODE_ENV: "production", ...signed }).INNGEST_SIGNING_KEY).toBe("signkey-local-00ff");
  });
});
