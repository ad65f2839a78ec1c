// Session cookies already decoded, by their value. Decrypting Auth.js' JWT (HKDF + AES,
// ~1 ms of CPU) was the largest single cost of a warm feed read (bench/). The same cookie
// value always decrypts to the same claims, so a short-lived cache changes nothing but the
// cost: an expired cookie is accepted at most `ttlMs` past its expiry, and only if it was
// seen just before. A missing or rejected cookie is never cached. Whether the session is
// still active is not a claim: lib/auth/sessions checks that on every request.

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
