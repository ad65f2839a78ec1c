// The client's address, for rate limits. Behind a proxy (Vercel, a load balancer) the
// first X-Forwarded-For entry is the client as the proxy saw it; a deployment without a
// proxy that overwrites the header should not rely on per-IP limits alone.
export function clientIp(headers: Pick<Headers, "get">): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim() || "local";
}
