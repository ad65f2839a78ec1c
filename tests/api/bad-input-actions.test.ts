// Server actions are public endpoints: anyone can call them with any arguments and any body.
// Malformed arguments get the action's ordinary error state (never a throw, which Next turns
// into a 500); bodies Next cannot decode, too large or cross-site are refused by proxy.ts
// before Next sees them. Bodies made by React's own client (encodeReply, the encoder the
// browser uses) must pass the screen untouched.
import { createRequire } from "node:module";
import { NextRequest } from "next/server";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db";
import { loginAction, registerAction } from "@/app/(auth)/actions";
import { flagSuperstarAction } from "@/app/actions/admin";
import { setFollowAction } from "@/app/actions/follows";
import { setLikeAction } from "@/app/actions/likes";
import { createPostAction, deletePostAction } from "@/app/actions/posts";
import { setBlockAction, setMuteAction, setShowRepostsAction } from "@/app/actions/relationships";
import { setRepostAction } from "@/app/actions/reposts";
import { updateProfileAction } from "@/app/actions/profile";
import { GENERIC_ERROR } from "@/lib/actions/run-action";
import { ACTION_BODY_LIMIT_BYTES, screenActionRequest } from "@/lib/actions/screen-request";
import { signIn } from "@/lib/auth";
import { proxy } from "@/proxy";
import { makeUser } from "../support/fixtures";
import { logInAs } from "../support/session";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn(), requireSession: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
// Auth.js does not load outside Next's bundler; malformed input never reaches it anyway
// (the tests check that signIn is not called).
vi.mock("next-auth", () => ({ AuthError: class extends Error {}, CredentialsSignin: class extends Error {} }));
vi.mock("@/lib/auth", () => ({ signIn: vi.fn(), signOut: vi.fn() }));

const { encodeReply } = createRequire(import.meta.url)("next/dist/compiled/react-server-dom-turbopack/client.node") as {
  encodeReply: (value: unknown) => Promise<string | FormData>;
};

afterAll(closeDb);
beforeEach(() => logInAs(null));

// What a caller can put in an action's arguments, as React's decoder hands them over.
const MALFORMED: unknown[] = [undefined, null, 5, "text", [], [1, 2], {}, { content: 5 }, new Map(), new Set([1]), new Date(0), 10n];

describe("server actions called with malformed arguments", () => {
  it.each(MALFORMED.map((value) => [String(value), value]))("form actions answer %s with an error state", async (_label, value) => {
    logInAs(await makeUser());
    // The (prevState, formData) actions: formData of any other kind reads as an empty form.
    for (const action of [createPostAction, updateProfileAction, loginAction, registerAction] as ((...args: unknown[]) => Promise<unknown>)[]) {
      const state = (await action(value, value)) as { error?: string; fields?: Record<string, string> };
      expect(state.error ?? Object.values(state.fields ?? {})[0], action.name).toEqual(expect.any(String));
    }
    expect(signIn).not.toHaveBeenCalled();
  });

  it.each(MALFORMED.map((value) => [String(value), value]))("object actions answer %s with an error state", async (_label, value) => {
    logInAs(await makeUser());
    for (const action of [setLikeAction, setRepostAction, setFollowAction, setMuteAction, setBlockAction, setShowRepostsAction, deletePostAction, flagSuperstarAction] as ((...args: unknown[]) => Promise<unknown>)[]) {
      const state = (await action(value)) as { error?: string };
      expect(state.error, action.name).toEqual(expect.any(String));
    }
  });

  it("a NUL in a name or id is refused as input, never sent to Postgres", async () => {
    logInAs(await makeUser(), true);
    const states = [
      await setFollowAction({ username: "a\u0000b", follow: true }),
      await setFollowAction({ username: "a\u0000b", follow: false }),
      await setLikeAction({ postId: "1\u0000", like: true }),
      await deletePostAction({ postId: "\u0000" }),
      await flagSuperstarAction({ username: "\u0000" }),
    ];
    for (const state of states) {
      expect(state.error).toEqual(expect.any(String));
      expect(state.error).not.toBe(GENERIC_ERROR);
    }
  });

  it("a post's content sent without a form is refused with the form's message", async () => {
    logInAs(await makeUser());
    const state = await createPostAction({}, { content: "hello" } as unknown as FormData);
    expect(state).toEqual({ error: "Some fields are invalid.", fields: { content: "Write something first." } });
  });
});

/** A POST as the browser sends an action to a page. */
function actionRequest(body: BodyInit | null, headers: Record<string, string> = {}, fetch = true): NextRequest {
  return new NextRequest("http://localhost:3000/", {
    method: "POST",
    headers: { host: "localhost:3000", ...(fetch ? { "next-action": "7f00aa" } : {}), ...headers },
    body,
  });
}

function multipart(parts: Record<string, string>, boundary = "XyZ"): { body: string; type: string } {
  const body = Object.entries(parts)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join("");
  return { body: `${body}--${boundary}--\r\n`, type: `multipart/form-data; boundary=${boundary}` };
}

const TEXT = { "content-type": "text/plain;charset=UTF-8" };

describe("action requests screened before Next decodes them", () => {
  it("passes what React's client encodes", async () => {
    const form = new FormData();
    form.set("content", "hello $1 world");
    const encoded = [
      await encodeReply([{ postId: "1", like: true }]),
      await encodeReply([{ ok: false }, form]),
      await encodeReply([{ when: new Date(0), tags: new Map([["a", 1]]), ids: new Set(["$5"]), big: 10n, none: undefined }]),
      await encodeReply([]),
    ];
    expect(encoded.some((body) => body instanceof FormData)).toBe(true);
    for (const body of encoded) {
      const req = typeof body === "string" ? actionRequest(body, TEXT) : actionRequest(body);
      expect(await screenActionRequest(req)).toBeNull();
    }
  });

  it("passes a form posted without JavaScript, and leaves requests that are not actions alone", async () => {
    const { body, type } = multipart({ $ACTION_REF_1: "", "$ACTION_1:0": '{"id":"7f00aa","bound":"$@1"}', "$ACTION_1:1": "[null]", content: "hi" });
    expect(await screenActionRequest(actionRequest(body, { "content-type": type }, false))).toBeNull();
    expect(await screenActionRequest(actionRequest("garbage", TEXT, false))).toBeNull();
    expect(await screenActionRequest(new NextRequest("http://localhost:3000/", { headers: { "next-action": "7f00aa" } }))).toBeNull();
  });

  it.each([
    ["text that is not JSON", "garbage{", TEXT],
    ["an empty body", "", TEXT],
    ["a root that is not an argument list", '"x"', TEXT],
    ["a reference to a part that is not there", '["$5"]', TEXT],
    ["more arguments than Next accepts", JSON.stringify(Array.from({ length: 1001 }, () => 0)), TEXT],
    ["multipart that does not parse", "garbage", { "content-type": "multipart/form-data; boundary=XyZ" }],
    ["multipart without a boundary", "garbage", { "content-type": "multipart/form-data" }],
    ["multipart without the arguments part", multipart({ "1": "[]" }).body, { "content-type": multipart({}).type }],
    ["multipart whose arguments are not JSON", multipart({ "0": "not json" }).body, { "content-type": multipart({}).type }],
    ["multipart referring to a missing part", multipart({ "0": '[{},"$1a"]' }).body, { "content-type": multipart({}).type }],
  ])("refuses %s with a 400", async (_label, body, headers) => {
    expect(await screenActionRequest(actionRequest(body, headers))).toEqual({ status: 400, message: "The submission could not be read.", fetch: true });
  });

  it("refuses a form posted without JavaScript whose action fields are not JSON", async () => {
    const { body, type } = multipart({ $ACTION_REF_1: "", "$ACTION_1:0": "{nope" });
    expect(await screenActionRequest(actionRequest(body, { "content-type": type }, false))).toMatchObject({ status: 400, fetch: false });
  });

  it("refuses a body over Next's 1 MB limit with a 413, announced or streamed", async () => {
    const big = `["${"a".repeat(ACTION_BODY_LIMIT_BYTES)}"]`;
    const expected = { status: 413, message: "The submission is larger than 1 MB.", fetch: true };
    expect(await screenActionRequest(actionRequest(big, { ...TEXT, "content-length": String(big.length) }))).toEqual(expected);
    const chunks = [big.slice(0, 600_000), big.slice(600_000)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const streamed = new NextRequest("http://localhost:3000/", { method: "POST", headers: { "next-action": "7f00aa", ...TEXT }, body: stream, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
    expect(await screenActionRequest(streamed)).toEqual(expected);
  });

  it("refuses a cross-site Origin the way Next's CSRF check does, with a 403", async () => {
    const refused = { status: 403, message: "Cross-site form submissions are not allowed.", fetch: true };
    expect(await screenActionRequest(actionRequest("[]", { ...TEXT, origin: "https://evil.example" }))).toEqual(refused);
    expect(await screenActionRequest(actionRequest("[]", { ...TEXT, origin: "not a url" }))).toEqual(refused);
    expect(await screenActionRequest(actionRequest("[]", { ...TEXT, origin: "null" }))).toEqual(refused);
    expect(await screenActionRequest(actionRequest("[]", { ...TEXT, origin: "http://localhost:3000" }))).toBeNull();
    // Next compares with the first X-Forwarded-Host when there is one (a reverse proxy's).
    expect(await screenActionRequest(actionRequest("[]", { ...TEXT, origin: "https://feed.example", "x-forwarded-host": "feed.example, inner" }))).toBeNull();
  });
});

describe("proxy", () => {
  const run = (url: string, init?: ConstructorParameters<typeof NextRequest>[1]) => proxy(new NextRequest(new URL(url, "http://localhost:3000"), init));

  it("answers a control character in an API path with the API's 400, before it reaches Postgres", async () => {
    for (const url of ["/api/v1/users/%00/posts", "/api/v1/users/a%01b", "/api/v1/posts/1%7F/like", "/api/v1/users/%C2%85"]) {
      const res = await run(url);
      expect(res.status, url).toBe(400);
      expect(await res.json()).toEqual({ error: { code: "invalid_path", message: "The address contains a control character." } });
    }
  });

  it("answers a bad page address with a short page", async () => {
    for (const url of ["/u/%00", "/p/1%0A", "/u/%E0%A4%A"]) {
      const res = await run(url);
      expect(res.status, url).toBe(400);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain("That address is not valid.");
    }
  });

  it("lets ordinary addresses and actions through", async () => {
    for (const url of ["/u/alice", "/u/%C3%A9l%C3%A8ve", "/api/v1/users/bob/posts", "/p/12"]) {
      expect((await run(url)).headers.get("x-middleware-next"), url).toBe("1");
    }
    const ok = await run("/", { method: "POST", headers: { "next-action": "7f00aa", ...TEXT }, body: "[]" });
    expect(ok.headers.get("x-middleware-next")).toBe("1");
  });

  it("answers a refused fetch action in plain text (React's client shows it) and a form post with a page", async () => {
    const fetchAction = await run("/", { method: "POST", headers: { "next-action": "7f00aa", ...TEXT }, body: "garbage" });
    expect(fetchAction.status).toBe(400);
    // React's client reads the message only from exactly this content type.
    expect(fetchAction.headers.get("content-type")).toBe("text/plain");
    expect(await fetchAction.text()).toBe("The submission could not be read.");

    const form = await run("/settings", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=XyZ" }, body: "garbage" });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain("The submission could not be read.");
  });
});
