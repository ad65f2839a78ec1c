// lib/redis.ts's key layout: `<prefix><kind>:{owner}[:sibling…]`, one hash tag per owner,
// and a prefix with braces refused (it would become every key's hash tag), also after the
// prefix changes from one that passed the check.
import { afterEach, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { hashTag, redisKey, redisNamespace } from "@/lib/redis";

const saved = process.env.REDIS_KEY_PREFIX;

function usePrefix(prefix: string): void {
  process.env.REDIS_KEY_PREFIX = prefix;
  resetEnvCache();
}

afterEach(() => {
  if (saved === undefined) delete process.env.REDIS_KEY_PREFIX;
  else process.env.REDIS_KEY_PREFIX = saved;
  resetEnvCache();
});

it("builds keys as prefix, kind, the owner's hash tag and the siblings", () => {
  usePrefix("p:");
  expect(redisKey("tl")).toBe("p:tl");
  expect(redisKey("tl", "42")).toBe("p:tl:{42}");
  expect(redisKey("tl", 42, "lease")).toBe("p:tl:{42}:lease");
  expect(redisKey("rl", "login", "ip", 7)).toBe("p:rl:{login}:ip:7");
  expect(redisNamespace("rl", "login")).toBe("p:rl:login");
  expect(hashTag("a{b}")).toBe("{a%7Bb%7D}");
});

it("refuses a prefix with braces, also after a prefix that passed", () => {
  usePrefix("ok:");
  expect(redisKey("tl", "1")).toBe("ok:tl:{1}");
  usePrefix("bad{x}:");
  expect(() => redisKey("tl", "1")).toThrow(/must not contain/);
  expect(() => redisNamespace("tl")).toThrow(/must not contain/);
});
