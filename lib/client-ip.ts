// Who the client is, as far as the request can tell, for rate limits and the same-origin
// check. The forwarding headers are believed only as far as TRUSTED_PROXY_HOPS says.
//
// What Next.js gives us (`next start`, base-server.js): before routing it fills
// X-Forwarded-For, -Host, -Port and -Proto with `??=`, i.e. from the socket address and
// the Host header only when the request does not carry them already; a client-sent value
// is kept as is, neither replaced nor appended to. Route handlers and actions never see
// the socket. So with no proxy in front, X-Forwarded-For is whatever the client chose
// whenever it chose to send one, and it cannot be told apart from the socket address.
//
// Hence: with 0 trusted hops (the default) the headers are ignored entirely and every
// client shares the identity UNKNOWN_CLIENT: per-address limits become per-deployment
// ones, and the login limit (email + address) becomes a per-account lock-out that
// changing a header cannot reset. With N hops, each trusted proxy appended the address it
// received the request from, so the client is the Nth entry from the right; entries left
// of it were written by the client and are never read.
import { isIP } from "node:net";
import { getEnv } from "@/lib/env";

export const UNKNOWN_CLIENT = "unknown";

/** The client's address when the trusted proxies say so, else UNKNOWN_CLIENT. */
export function clientIp(headers: Pick<Headers, "get">, hops = getEnv().TRUSTED_PROXY_HOPS): string {
  const entry = forwardedEntry(headers.get("x-forwarded-for"), hops);
  return (entry && normalizeAddress(entry)) || UNKNOWN_CLIENT;
}

/** The host the client asked for: X-Forwarded-Host (as set by the outermost trusted proxy) with hops, else Host. */
export function requestHost(headers: Pick<Headers, "get">, hops = getEnv().TRUSTED_PROXY_HOPS): string | null {
  if (hops > 0) {
    const forwarded = forwardedEntry(headers.get("x-forwarded-host"), hops);
    if (forwarded) return forwarded.toLowerCase();
  }
  return headers.get("host")?.trim().toLowerCase() || null;
}

/**
 * The Nth comma-separated entry from the right. A proxy that sets the header instead of
 * appending leaves fewer entries than hops: the leftmost is then the outermost proxy's.
 */
function forwardedEntry(value: string | null, hops: number): string | undefined {
  if (!value || hops < 1) return undefined;
  const entries = value.split(",").map((e) => e.trim());
  const entry = entries[Math.max(0, entries.length - hops)];
  return entry || undefined;
}

/** A bare IP address (ports, brackets and the IPv4-mapped prefix removed), or undefined for anything else. */
function normalizeAddress(entry: string): string | undefined {
  let address = entry;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.toLowerCase();
  if (address.startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) ? address : undefined;
}
