import { describe, expect, it } from "vitest";
import { createSessionCache } from "@/lib/auth/session-cache";

describe("createSessionCache", () => {
  it("answers a checked session until its time is up, then forgets it", () => {
    let now = 1000;
    const cache = createSessionCache<string>({ ttlMs: 60_000, maxEntries: 10, now: () => now });
    cache.set("token-a", "alice");
    now += 59_999;
    expect(cache.get("token-a")).toBe("alice");
    now += 1;
    expect(cache.get("token-a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("keeps at most maxEntries, dropping the least recently stored", () => {
    const cache = createSessionCache<number>({ ttlMs: 60_000, maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("a", 1); // stored again: now the newest
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it("never mixes tokens", () => {
    const cache = createSessionCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    cache.set("token-a", "alice");
    expect(cache.get("token-b")).toBeUndefined();
  });
});
