// Uploads through the real route handlers (POST /api/v1/media, PUT/DELETE /api/v1/me/avatar,
// POST /api/v1/posts with mediaIds, GET /media/<key>), once per storage back-end. Every bad
// upload is checked to leave nothing behind: no new object in storage, no new row.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import sharp from "sharp";
import { closeDb, getSql } from "@/db";
import { resetEnvCache } from "@/lib/env";
import { resetStorage } from "@/lib/storage";
import type { MediaDto, PostDto } from "@/lib/posts/dto";
import type { UserDto } from "@/lib/users/dto";
import { POST as uploadRoute } from "@/app/api/v1/media/route";
import { DELETE as removeAvatarRoute, PUT as avatarRoute } from "@/app/api/v1/me/avatar/route";
import { POST as createPostRoute } from "@/app/api/v1/posts/route";
import { GET as postRoute } from "@/app/api/v1/posts/[id]/route";
import { GET as mediaRoute } from "@/app/media/[...key]/route";
import { type ErrorBody, apiRequest, readJson, routeParams } from "../support/fixtures";
import { logInAs, logInAsNewUser } from "../support/session";
import { BACKENDS, makeBombPng, makeImage, makeLyingHeaderPng, makeRotatedJpeg, readAll, useBackendEnv, type Backend, type Format } from "./support";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

afterAll(closeDb);
beforeEach(() => {
  logInAs(null);
});

function multipart(method: string, path: string, file: { bytes: Uint8Array; name?: string; type?: string } | null, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const form = new FormData();
  if (file) form.set("file", new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }), file.name ?? "upload.bin");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return new NextRequest(new URL(path, "http://localhost:3000"), { method, body: form, headers });
}

const upload = (file: Parameters<typeof multipart>[2], fields?: Record<string, string>, headers?: Record<string, string>) =>
  uploadRoute(multipart("POST", "/api/v1/media", file, fields, headers), routeParams({}));
const putAvatar = (file: Parameters<typeof multipart>[2], headers?: Record<string, string>) =>
  avatarRoute(multipart("PUT", "/api/v1/me/avatar", file, {}, headers), routeParams({}));
const publish = (json: unknown) => createPostRoute(apiRequest("POST", "/api/v1/posts", { json }), routeParams({}));
const load = (url: string) => mediaRoute(new NextRequest(new URL(url, "http://localhost:3000")), { params: Promise.resolve({ key: url.replace(/^\/media\//, "").split("/") }) });

async function mediaRows(): Promise<number> {
  const [row] = await getSql()<[{ n: number }]>`select count(*)::int as n from media`;
  return row.n;
}

describe.each(BACKENDS)("uploads on %s storage", (_name, start) => {
  let backend: Backend;
  let restoreEnv: () => void;
  beforeAll(async () => {
    backend = await start();
    restoreEnv = useBackendEnv(backend, () => {
      resetEnvCache();
      resetStorage();
    });
  });
  afterAll(async () => {
    restoreEnv?.();
    await backend?.stop();
  });

  /** Runs `act` and asserts it added no object and no media row. */
  async function leavesNothing(act: () => Promise<void>) {
    const [keys, rows] = [await backend.keys(), await mediaRows()];
    await act();
    expect(await backend.keys()).toEqual(keys);
    expect(await mediaRows()).toBe(rows);
  }

  async function uploadOk(format: Format, width: number, height: number, altText?: string): Promise<MediaDto> {
    const { status, body } = await readJson<MediaDto>(await upload({ bytes: await makeImage(format, width, height), name: `x.${format}` }, altText === undefined ? {} : { altText }));
    expect(status).toBe(201);
    return body;
  }

  it.each([
    ["png", 2400, 1200, 1600, 800],
    ["jpeg", 800, 600, 800, 600],
    ["webp", 1000, 3000, 533, 1600],
    ["gif", 120, 90, 120, 90],
  ] as const)("takes a %s (%i×%i): 201 Media, a WebP within 1600 px and a thumbnail within 600 px", async (format, w, h, fw, fh) => {
    await logInAsNewUser();
    const media = await uploadOk(format, w, h, "  a cat  ");
    expect(media).toMatchObject({ id: expect.stringMatching(/^\d+$/), width: fw, height: fh, altText: "a cat" });
    // The owner can load both before the post exists.
    for (const url of [media.url, media.thumbnailUrl]) {
      const res = await load(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/webp");
      const info = await sharp(await readAll(res.body!)).metadata();
      expect(info.format).toBe("webp");
      if (url === media.url) expect([info.width, info.height]).toEqual([fw, fh]);
      else expect(Math.max(info.width!, info.height!)).toBeLessThanOrEqual(600);
    }
  });

  it("applies the EXIF orientation and strips the metadata", async () => {
    await logInAsNewUser();
    const rotated = await makeRotatedJpeg(300, 100);
    expect(await sharp(rotated).metadata()).toMatchObject({ orientation: 6, exif: expect.anything() });
    const { body } = await readJson<MediaDto>(await upload({ bytes: rotated }));
    expect([body.width, body.height]).toEqual([100, 300]);
    const info = await sharp(await readAll((await load(body.url)).body!)).metadata();
    expect(info.exif).toBeUndefined();
    expect(info.orientation).toBeUndefined();
  });

  it.each([
    ["text", () => Buffer.from("hello, this is not an image"), "notes.txt", "text/plain"],
    ["text named .png, sent as image/png", () => Buffer.from("hello, I am a PNG, honest"), "lie.png", "image/png"],
    ["a PNG header followed by garbage", async () => Buffer.concat([(await makeImage("png", 50, 50)).subarray(0, 40), Buffer.alloc(500, 7)]), "cut.png", "image/png"],
    ["an SVG (decodable, not accepted)", () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'), "x.svg", "image/svg+xml"],
    ["a TIFF (decodable, not accepted)", () => sharp({ create: { width: 10, height: 10, channels: 3, background: "#000" } }).tiff().toBuffer(), "x.png", "image/png"],
    ["a header claiming 30000×30000", makeLyingHeaderPng, "bomb.png", "image/png"],
    ["an empty file", () => Buffer.alloc(0), "empty.png", "image/png"],
  ] as const)("refuses %s with 400 invalid_image and leaves nothing behind", async (_label, make, name, type) => {
    await logInAsNewUser();
    const bytes = await make();
    await leavesNothing(async () => {
      const { status, body } = await readJson<ErrorBody>(await upload({ bytes, name, type }));
      expect(status).toBe(400);
      expect(body.error.code).toBe("invalid_image");
      const avatar = await readJson<ErrorBody>(await putAvatar({ bytes, name, type }));
      expect(avatar.status).toBe(400);
      expect(avatar.body.error.code).toBe("invalid_image");
    });
  });

  it("refuses a real decompression bomb (a blank 9000×9000 PNG of a few KB) with 400 invalid_image", async () => {
    await logInAsNewUser();
    const bomb = await makeBombPng();
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await leavesNothing(async () => {
      const { status, body } = await readJson<ErrorBody>(await upload({ bytes: bomb, type: "image/png" }));
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: "invalid_image", message: expect.stringContaining("9000 × 9000") });
    });
  });

  it("refuses a file over 10 MB (avatar: 5 MB) with 413, by its real size and by Content-Length, and leaves nothing behind", async () => {
    await logInAsNewUser();
    const big = Buffer.concat([await makeImage("png", 10, 10), Buffer.alloc(10 * 1024 * 1024)]);
    const avatarBig = Buffer.concat([await makeImage("png", 10, 10), Buffer.alloc(5 * 1024 * 1024)]);
    await leavesNothing(async () => {
      const media = await readJson<ErrorBody>(await upload({ bytes: big, type: "image/png" }));
      expect(media.status).toBe(413);
      expect(media.body.error.code).toBe("file_too_large");
      const avatar = await readJson<ErrorBody>(await putAvatar({ bytes: avatarBig, type: "image/png" }));
      expect(avatar.status).toBe(413);
      // A declared length past the cap is refused before the body is read.
      const declared = await readJson<ErrorBody>(await upload({ bytes: await makeImage("png", 10, 10) }, {}, { "content-length": String(20 * 1024 * 1024) }));
      expect(declared.status).toBe(413);
    });
  });

  it("refuses a request that is not multipart or has no file, and alt text over 1000 characters", async () => {
    await logInAsNewUser();
    await leavesNothing(async () => {
      const json = await readJson<ErrorBody>(await uploadRoute(apiRequest("POST", "/api/v1/media", { json: {} }), routeParams({})));
      expect([json.status, json.body.error.code]).toEqual([400, "unsupported_content_type"]);
      const none = await readJson<ErrorBody>(await upload(null, { altText: "x" }));
      expect([none.status, none.body.error.fields]).toEqual([400, { file: "Choose an image to upload." }]);
      const alt = await readJson<ErrorBody>(await upload({ bytes: await makeImage("png", 10, 10) }, { altText: "a".repeat(1001) }));
      expect([alt.status, alt.body.error.fields?.altText]).toEqual([400, "Alt text can be at most 1000 characters."]);
    });
  });

  it("needs a login (401)", async () => {
    const res = await upload({ bytes: await makeImage("png", 10, 10) });
    expect(res.status).toBe(401);
    expect((await removeAvatarRoute(apiRequest("DELETE", "/api/v1/me/avatar"), routeParams({}))).status).toBe(401);
  });

  it("posts with images: media in upload order from the hydrate, URLs that load without a session and cache for a year", async () => {
    const author = await logInAsNewUser();
    const a = await uploadOk("png", 30, 20, "first");
    const b = await uploadOk("jpeg", 40, 40, "second");
    const { status, body: post } = await readJson<PostDto>(await publish({ content: "  ", mediaIds: [b.id, a.id] }));
    expect(status).toBe(201);
    expect(post.content).toBe("");
    expect(post.media).toEqual([a, b]);

    logInAs(null);
    const { body: fetched } = await readJson<PostDto>(await postRoute(apiRequest("GET", `/api/v1/posts/${post.id}`), routeParams({ id: post.id })));
    expect(fetched.media).toEqual([a, b]);
    expect(fetched.author.id).toBe(author.id);
    for (const url of [a.url, a.thumbnailUrl, b.url, b.thumbnailUrl]) {
      const res = await load(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/webp");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect((await readAll(res.body!)).byteLength).toBeGreaterThan(0);
    }
  });

  it("serves an unattached upload to its owner only (404 for others and logged out), and 404 for unknown keys", async () => {
    const owner = await logInAsNewUser();
    const media = await uploadOk("png", 20, 20);
    const mine = await load(media.url);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("cache-control")).toMatch(/^private/);
    await logInAsNewUser();
    expect((await load(media.url)).status).toBe(404);
    logInAs(null);
    expect((await load(media.url)).status).toBe(404);
    logInAs(owner);
    for (const url of [
      media.url.replace(/[0-9a-f]{32}/, "0".repeat(32)),
      "/media/media/999999999/" + "a".repeat(32) + ".webp",
      "/media/avatars/1/nothing.webp",
      "/media/..%2F..%2Fetc%2Fpasswd",
      "/media/whatever",
    ]) {
      expect((await load(url)).status).toBe(404);
    }
  });

  it("refuses more than 4 images, someone else's upload, a used one and a repeated one with 400 and fields, attaching nothing", async () => {
    const other = await logInAsNewUser();
    const theirs = await uploadOk("png", 10, 10);
    const me = await logInAsNewUser();
    const mine = await Promise.all(Array.from({ length: 5 }, () => uploadOk("png", 10, 10)));

    const five = await readJson<ErrorBody>(await publish({ content: "five", mediaIds: mine.map((m) => m.id) }));
    expect([five.status, five.body.error.fields]).toEqual([400, { mediaIds: "A post can have at most 4 images." }]);

    const stolen = await readJson<ErrorBody>(await publish({ content: "stolen", mediaIds: [mine[0]!.id, theirs.id] }));
    expect([stolen.status, stolen.body.error.fields]).toEqual([400, { "mediaIds.1": "Not one of your uploads, or already in a post." }]);
    const twice = await readJson<ErrorBody>(await publish({ content: "twice", mediaIds: [mine[0]!.id, mine[0]!.id] }));
    expect([twice.status, twice.body.error.fields]).toEqual([400, { mediaIds: "The same image is listed twice." }]);
    const empty = await readJson<ErrorBody>(await publish({ content: " " }));
    expect([empty.status, empty.body.error.fields]).toEqual([400, { content: "Write something first." }]);

    // Nothing got attached by the failures: the first upload still attaches, once.
    const ok = await readJson<PostDto>(await publish({ content: "ok", mediaIds: [mine[0]!.id] }));
    expect(ok.status).toBe(201);
    const reused = await readJson<ErrorBody>(await publish({ content: "again", mediaIds: [mine[1]!.id, mine[0]!.id] }));
    expect([reused.status, reused.body.error.fields]).toEqual([400, { "mediaIds.1": "Not one of your uploads, or already in a post." }]);
    const [row] = await getSql()<[{ n: number }]>`select count(*)::int as n from posts where author_id = ${me.id}`;
    expect(row.n).toBe(1);
    // The other user's upload is still theirs to use.
    logInAs(other);
    expect((await publish({ content: "mine after all", mediaIds: [theirs.id] })).status).toBe(201);
  });

  it("sets an avatar (400×400 centre crop), shows it on the user's posts, replaces it (old object deleted) and removes it", async () => {
    const user = await logInAsNewUser();
    const set = await readJson<UserDto>(await putAvatar({ bytes: await makeImage("jpeg", 900, 300), type: "image/jpeg" }));
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: user.id, avatarUrl: expect.stringMatching(new RegExp(`^/media/avatars/${user.id}/[0-9a-f]{32}\\.webp$`)) });
    const first = set.body.avatarUrl!;
    logInAs(null);
    const res = await load(first);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const info = await sharp(await readAll(res.body!)).metadata();
    expect([info.format, info.width, info.height]).toEqual(["webp", 400, 400]);

    logInAs(user);
    const { body: post } = await readJson<PostDto>(await publish({ content: "with a face" }));
    expect(post.author.avatarUrl).toBe(first);

    const second = (await readJson<UserDto>(await putAvatar({ bytes: await makeImage("gif", 50, 80) }))).body.avatarUrl!;
    expect(second).not.toBe(first);
    expect(await backend.keys()).not.toContain(first.replace("/media/", ""));
    expect((await load(first)).status).toBe(404);
    expect((await load(second)).status).toBe(200);

    const removed = await readJson<UserDto>(await removeAvatarRoute(apiRequest("DELETE", "/api/v1/me/avatar"), routeParams({})));
    expect([removed.status, removed.body.avatarUrl]).toEqual([200, null]);
    expect(await backend.keys()).not.toContain(second.replace("/media/", ""));
    expect((await load(second)).status).toBe(404);
    const { body: again } = await readJson<PostDto>(await postRoute(apiRequest("GET", `/api/v1/posts/${post.id}`), routeParams({ id: post.id })));
    expect(again.author.avatarUrl).toBeNull();
  });
});
