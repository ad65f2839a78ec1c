// `--instances 2`: what one instance remembers per process must not outlive a change made
// through the other. The session check cache (lib/auth/sessions.ts) is the one that
// matters: a sign-out on instance A must stop the cookie on instance B within
// SESSION_CHECK_TTL_MS (2 s by default), even when B has just seen the session active.
import { call, logIn, type Client } from "./http";

/** The default SESSION_CHECK_TTL_MS, plus a second for the requests themselves. */
const ALLOWED_MS = 2_000 + 1_000;

export interface RevocationResult {
  /** How long B kept accepting the cookie after A's sign-out answered. */
  ms: number;
  failures: string[];
}

export async function checkRevocationAcrossInstances(a: string, b: string, name: string): Promise<RevocationResult> {
  const clientA: Client = { base: a, timeoutMs: 20_000 };
  const clientB: Client = { base: b, timeoutMs: 20_000 };
  const email = `${name}@example.com`;
  const password = "correct horse battery staple";
  const reg = await call(clientA, { kind: "register", method: "POST", path: "/api/v1/accounts", json: { username: name, email, password } });
  if (reg.outcome !== 201) return { ms: 0, failures: [`registering on instance 1 gave ${reg.outcome}`] };
  const cookie = await logIn(clientA, email, password);
  // B looks at the session now, so its cache holds "active" when A revokes it.
  const before = await call(clientB, { kind: "me", path: "/api/v1/me", cookie });
  if (before.outcome !== 200) return { ms: 0, failures: [`the cookie from instance 1 gave ${before.outcome} on instance 2`] };
  const revoke = await call(clientA, { kind: "revoke", method: "POST", path: "/api/v1/me/sessions/revoke", cookie });
  if (revoke.outcome !== 204) return { ms: 0, failures: [`signing out everywhere on instance 1 gave ${revoke.outcome}`] };
  const started = performance.now();
  for (;;) {
    const res = await call(clientB, { kind: "me", path: "/api/v1/me", cookie });
    const ms = Math.round(performance.now() - started);
    if (res.outcome === 401) return { ms, failures: [] };
    if (res.outcome !== 200) return { ms, failures: [`instance 2 answered ${res.outcome} while the revocation propagated`] };
    if (ms > ALLOWED_MS) return { ms, failures: [`instance 2 still accepted a revoked session ${ms} ms after the sign-out on instance 1`] };
    await new Promise((r) => setTimeout(r, 50));
  }
}
