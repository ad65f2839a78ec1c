// Sessions already checked, by their cookie value. Auth.js' auth() decrypts the JWT
// (HKDF + AES, ~0.6 ms of CPU) and encrypts a renewed one (~0.4 ms) on every call,
// which made it the largest single cost of a warm feed read (bench/). The same cookie
// value always decrypts to the same session, so a short-lived cache changes nothing but
// the cost: an expired cookie is accepted at most `ttlMs` past its expiry, and only if it
// was seen just before. A missing or rejected cookie is never cached.

export interface SessionCache<T> {
  get(token: string): T | undefined;
  set(token: string, value: T): void;
  readonly size: number;
}

export function createSessionCache<T>({ ttlMs, maxEntries, now = Date.now }: { ttlMs: number; maxEntries: number; now?: () => number }): SessionCache<T> {
  const entries = new Map<string, { value: T; until: number }>();
  return {
    get(token) {
      const hit = entries.get(token);
      if (!hit) return undefined;
      if (hit.until <= now()) {
        entries.delete(token);
        return undefined;
      }
      return hit.value;
    },
    set(token, value) {
      entries.delete(token); // re-inserted last: Map order is the eviction order
      entries.set(token, { value, until: now() + ttlMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    get size() {
      return entries.size;
    },
  };
}
