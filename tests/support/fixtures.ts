// Shared by every integration test: unique users made directly in the database and
// requests to route handlers (the faked session is in ./session.ts).
import crypto from "node:crypto";
import { NextRequest } from "next/server";
import { getDb } from "@/db";
import { users, type User } from "@/db/schema";

export const suffix = () => crypto.randomBytes(5).toString("hex");
/** A fresh valid username (≤ 30 of a-z 0-9 _). */
export const uniqueName = (prefix = "u") => `${prefix}_${suffix()}`;
/** A fresh client IP, so per-IP limits never couple tests. */
export const uniqueIp = () => `10.${[0, 0, 0].map(() => crypto.randomInt(256)).join(".")}`;

export async function makeUser(overrides: Partial<typeof users.$inferInsert> = {}): Promise<User> {
  const username = overrides.username ?? uniqueName();
  const [user] = await getDb()
    .insert(users)
    .values({ username, email: `${username}@example.com`, displayName: `User ${username}`, passwordHash: "x", ...overrides })
    .returning();
  return user!;
}

export async function makeUsers(n: number, prefix = "u"): Promise<User[]> {
  return Promise.all(Array.from({ length: n }, () => makeUser({ username: uniqueName(prefix) })));
}

export function apiRequest(method: string, path: string, options: { json?: unknown; raw?: string; headers?: Record<string, string> } = {}): NextRequest {
  const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  return new NextRequest(new URL(path, "http://localhost:3000"), {
    method,
    headers: { "content-type": "application/json", ...options.headers },
    body,
  });
}

export const routeParams = <P extends Record<string, string>>(params: P) => ({ params: Promise.resolve(params) });

/** Status and parsed body (undefined when empty, e.g. a 204) of a response. */
export async function readJson<T = Record<string, unknown>>(res: Response): Promise<{ status: number; body: T }> {
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
