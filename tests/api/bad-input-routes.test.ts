// Every /api/v1 route answers every method in the API's error shape: a method it does not
// implement is a JSON 405 with Allow (never Next's empty 405), and a path no route claims
// is a JSON 404 (never Next's HTML page). The route files are found on disk, so a route
// added later without its 405 exports fails here.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db";
import { apiRequest, readJson, routeParams, type ErrorBody } from "../support/fixtures";
import { logInAs } from "../support/session";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn(), requireSession: vi.fn() }));

afterAll(closeDb);
beforeEach(() => logInAs(null));

type Handler = (req: Request, ctx: ReturnType<typeof routeParams>) => Promise<Response> | Response;
const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;

const apiDir = path.resolve(import.meta.dirname, "../../app/api/v1");
const routeFiles = readdirSync(apiDir, { recursive: true, encoding: "utf8" })
  .filter((file) => path.basename(file) === "route.ts" && !file.startsWith("[[...path]]"))
  .sort();

/** /api/v1/users/[username]/posts → a concrete URL and the params Next would pass. */
function concrete(file: string): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const segments = path
    .dirname(file)
    .split(path.sep)
    .map((segment) => {
      const name = /^\[(\w+)\]$/.exec(segment)?.[1];
      if (!name) return segment;
      params[name] = name === "id" ? "1" : "nobody_here";
      return params[name];
    });
  return { url: `/api/v1/${segments.join("/")}`, params };
}

describe("methods a route does not implement", () => {
  it("finds the route files", () => {
    expect(routeFiles.length).toBeGreaterThan(10);
  });

  it.each(routeFiles)("%s: every method is answered, the missing ones with a JSON 405 naming the allowed ones", async (file) => {
    const mod = (await import(path.join(apiDir, file))) as Partial<Record<(typeof METHODS)[number], Handler>>;
    const { url, params } = concrete(file);
    // Next answers HEAD with the GET handler when there is one.
    const expected = METHODS.filter((m) => !(m === "HEAD" && mod.GET));
    for (const method of expected) expect(typeof mod[method], `${file} exports ${method}`).toBe("function");

    const options = await mod.OPTIONS!(apiRequest("OPTIONS", url), routeParams(params));
    expect(options.status).toBe(204);
    const allow = options.headers.get("allow")!.split(", ");
    expect(allow).toContain("OPTIONS");
    expect(allow.includes("HEAD")).toBe(allow.includes("GET"));

    for (const method of expected.filter((m) => m !== "OPTIONS")) {
      const res = await mod[method]!(apiRequest(method, url), routeParams(params));
      if (allow.includes(method)) {
        // The real handler: refused for a logged-out caller or bad input, never a 405.
        expect(res.status, `${method} ${url}`).not.toBe(405);
        expect(res.status, `${method} ${url}`).toBeLessThan(500);
        continue;
      }
      const { status, body } = await readJson<ErrorBody>(res);
      expect(status, `${method} ${url}`).toBe(405);
      expect(res.headers.get("allow")).toBe(allow.join(", "));
      expect(body.error.code).toBe("method_not_allowed");
      expect(body.error.message).toContain(method);
    }
  });

  it("allows exactly what the API contract lists for a few routes", async () => {
    const allowOf = async (file: string) => {
      const mod = (await import(path.join(apiDir, file))) as Record<string, Handler>;
      return (await mod.OPTIONS!(apiRequest("OPTIONS", "/"), routeParams({}))).headers.get("allow");
    };
    expect(await allowOf("feed/route.ts")).toBe("GET, HEAD, OPTIONS");
    expect(await allowOf("posts/route.ts")).toBe("OPTIONS, POST");
    expect(await allowOf("me/route.ts")).toBe("GET, HEAD, OPTIONS, PATCH");
    expect(await allowOf("users/[username]/follow/route.ts")).toBe("DELETE, OPTIONS, PATCH, POST");
    expect(await allowOf("posts/[id]/route.ts")).toBe("DELETE, GET, HEAD, OPTIONS");
  });
});

describe("paths no route claims", () => {
  it.each(METHODS)("%s is the API's JSON 404", async (method) => {
    const mod = (await import("@/app/api/v1/[[...path]]/route")) as Record<string, Handler>;
    const res = await mod[method]!(apiRequest(method, "/api/v1/no/such/thing"), routeParams({ path: "no/such/thing" }));
    const { status, body } = await readJson<ErrorBody>(res);
    expect(status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(body).toEqual({ error: { code: "not_found", message: "That API endpoint was not found." } });
  });
});
