// Serves Next.js App Router handlers (GET/POST/PUT taking a NextRequest) from a plain
// node:http server, so tests drive the real `inngest/next` adapter without running Next.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

export type RouteHandler = (req: NextRequest, ctx: unknown) => Promise<Response>;
export type RouteModule = Partial<Record<"GET" | "POST" | "PUT", RouteHandler>>;

export interface ServedRoute {
  /** The full serve URL, e.g. http://127.0.0.1:40123/api/inngest */
  url: string;
  /** Errors the handler threw instead of answering (Next would turn these into a 500). */
  thrown: unknown[];
  close(): Promise<void>;
}

/** `port` 0 = any free one; a fixed port lets a test tell the orchestrator the serve origin first. */
export async function serveRoute(handlers: RouteModule, path = "/api/inngest", port = 0): Promise<ServedRoute> {
  const thrown: unknown[] = [];
  const server = http.createServer((req, res) => {
    void respond(req, res).catch((error: unknown) => {
      thrown.push(error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(error) }));
    });
  });

  async function respond(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const method = (req.method ?? "GET") as keyof RouteModule;
    const handler = handlers[method];
    if (url.pathname !== path || !handler) {
      res.writeHead(url.pathname !== path ? 404 : 405).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(key, value);
      else if (Array.isArray(value)) headers.set(key, value.join(", "));
    }
    const hasBody = method !== "GET" && chunks.length > 0;
    const request = new NextRequest(url, { method, headers, body: hasBody ? Buffer.concat(chunks) : undefined });
    const response = await handler(request, { params: Promise.resolve({}) });
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => (outHeaders[key] = value));
    res.writeHead(response.status, outHeaders);
    res.end(Buffer.from(await response.arrayBuffer()));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}${path}`,
    thrown,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
