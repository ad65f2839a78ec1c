// The transport under the app's Redis client. @upstash/redis speaks Upstash's REST protocol
// through fetch (undici), which builds a Request, an AbortSignal and web streams for every
// call; on a warm feed read that was the largest share of the Next.js process's CPU after
// the framework itself. This requester speaks the same protocol (POST a JSON command or
// pipeline, read {result, error} back, keep the read-your-writes sync token) over node:http
// or node:https with keep-alive connections: 0.43 → 0.15 ms of CPU per call, measured
// client and bridge together (bench/README.md). Same endpoints, same tokens, in production
// and locally.
import http from "node:http";
import https from "node:https";
import { errors, type Requester, type UpstashRequest, type UpstashResponse } from "@upstash/redis";

/**
 * Failures worth another try, as @upstash/redis retries its own: mostly a keep-alive
 * connection the server closed as it was reused. A timeout is not retried (the command may
 * have run).
 */
const RETRIES = 3;
const RETRYABLE = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
const TIMEOUT_MS = 15_000;

export function nodeHttpRequester({ url, token }: { url: string; token: string }): Requester {
  const base = new URL(url);
  const secure = base.protocol === "https:";
  const agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets: 256 });
  const basePath = base.pathname.replace(/\/$/, "");
  const requester: Requester = {
    readYourWrites: true,
    upstashSyncToken: "",
    async request<T>(req: UpstashRequest): Promise<UpstashResponse<T>> {
      if (req.onMessage || req.isStreaming) throw new Error("streaming commands are not supported by Starling's Redis transport");
      const body = JSON.stringify(req.body);
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        ...req.headers,
      };
      if (requester.readYourWrites && requester.upstashSyncToken) headers["upstash-sync-token"] = requester.upstashSyncToken;
      const options = { agent, method: "POST", hostname: base.hostname, port: base.port, path: [basePath, ...(req.path ?? [])].join("/") || "/", headers, timeout: TIMEOUT_MS };
      for (let attempt = 0; ; attempt++) {
        let answer: Answer;
        try {
          answer = await post(secure, options, body);
        } catch (error) {
          if (attempt >= RETRIES || !RETRYABLE.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.exp(attempt) * 50));
          continue;
        }
        if (requester.readYourWrites && answer.syncToken !== undefined) requester.upstashSyncToken = answer.syncToken;
        let parsed: unknown;
        try {
          parsed = JSON.parse(answer.text);
        } catch (cause) {
          throw new errors.UpstashJSONParseError(answer.text, { cause });
        }
        if (answer.status < 200 || answer.status > 299) {
          throw new errors.UpstashError(`${(parsed as { error?: string }).error ?? `HTTP ${answer.status}`}, command was: ${body.slice(0, 200)}`);
        }
        return parsed as UpstashResponse<T>;
      }
    },
  };
  return requester;
}

interface Answer {
  status: number;
  text: string;
  syncToken: string | undefined;
}

function post(secure: boolean, options: https.RequestOptions, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const token = res.headers["upstash-sync-token"];
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), syncToken: Array.isArray(token) ? token[0] : token });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`Redis REST request timed out after ${TIMEOUT_MS / 1000} s`)));
    req.on("error", reject);
    req.end(body);
  });
}
