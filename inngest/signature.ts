// Inngest's request signature, byte for byte as the SDK computes it: HMAC-SHA256 keyed
// with the signing key's hex part (as text, prefix removed) over the canonical JSON of the
// parsed body followed by the unix-seconds timestamp. The serve guard verifies it; the
// local orchestrator signs with it, so both agree with Inngest Cloud and with each other.
import crypto from "node:crypto";

export const SIGNATURE_HEADER = "x-inngest-signature";
/** The SDK refuses signatures older (or newer) than this. */
const MAX_SKEW_MS = 5 * 60_000;

/** The SDK's `canonicalize` (sorted keys, no spaces), applied to a parsed JSON body. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object" || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item === undefined || typeof item === "symbol" ? null : item)).join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined && typeof record[key] !== "symbol")
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${fields.join(",")}}`;
}

function removeSigningKeyPrefix(key: string): string {
  return key.replace(/^signkey-[\w]+-/, "");
}

/** The signature of `body` (a parsed JSON value, or "" for no body) at `timestamp` seconds. */
export function signBody(body: unknown, signingKey: string, timestamp: number): string {
  const data = typeof body === "string" ? body : canonicalJson(body);
  return crypto.createHmac("sha256", removeSigningKeyPrefix(signingKey)).update(data).update(String(timestamp)).digest("hex");
}

/** The `X-Inngest-Signature` value for `body`, signed now. */
export function signatureHeader(body: unknown, signingKey: string, nowMs = Date.now()): string {
  const timestamp = Math.round(nowMs / 1000);
  return `t=${timestamp}&s=${signBody(body, signingKey, timestamp)}`;
}

/** True when `header` is a fresh signature of `body` by one of `signingKeys`. */
export function verifySignature(header: string | null, body: unknown, signingKeys: Array<string | undefined>, nowMs = Date.now()): boolean {
  if (!header) return false;
  const params = new URLSearchParams(header);
  const timestamp = Number(params.get("t"));
  const signature = params.get("s") ?? "";
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(signature)) return false;
  if (Math.abs(nowMs - timestamp * 1000) > MAX_SKEW_MS) return false;
  const given = Buffer.from(signature, "hex");
  return signingKeys.some((key) => key !== undefined && key !== "" && crypto.timingSafeEqual(Buffer.from(signBody(body, key, timestamp), "hex"), given));
}

/** What the SDK sends as `Authorization: Bearer …` on its API calls: the prefix, then SHA-256 of the key's bytes. */
export function hashSigningKey(signingKey: string): string {
  const prefix = /^signkey-[\w]+-/.exec(signingKey)?.[0] ?? "";
  return `${prefix}${crypto.createHash("sha256").update(Buffer.from(removeSigningKeyPrefix(signingKey), "hex")).digest("hex")}`;
}
