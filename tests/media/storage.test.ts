// The storage contract, run against both back-ends: local files and a real S3-compatible
// server (s3rver). Whatever holds the bytes, put/get/delete behave the same.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdir } from "node:fs/promises";
import { LocalStorage } from "@/lib/storage/local";
import { isValidKey } from "@/lib/storage/types";
import { BACKENDS, readAll, type Backend } from "./support";

describe.each(BACKENDS)("storage contract: %s", (_name, start) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await start();
  });
  afterAll(() => backend?.stop());

  it("gives back the bytes and content type that were put, and null for a key never put", async () => {
    const bytes = new Uint8Array([1, 2, 3, 250, 0, 7]);
    await backend.storage.put("media/1/abc.webp", bytes, "image/webp");
    const object = await backend.storage.get("media/1/abc.webp");
    expect(object?.contentType).toBe("image/webp");
    expect([...(await readAll(object!.body))]).toEqual([...bytes]);
    expect(await backend.storage.get("media/1/nothing.webp")).toBeNull();
  });

  it("replaces an object on a second put", async () => {
    await backend.storage.put("avatars/2/x.png", new Uint8Array([1]), "image/png");
    await backend.storage.put("avatars/2/x.png", new Uint8Array([2, 2]), "image/png");
    const object = await backend.storage.get("avatars/2/x.png");
    expect([...(await readAll(object!.body))]).toEqual([2, 2]);
  });

  it("deletes, and deleting what is not there is no error", async () => {
    await backend.storage.put("media/3/a.webp", new Uint8Array([1]), "image/webp");
    await backend.storage.put("media/3/b.webp", new Uint8Array([2]), "image/webp");
    await backend.storage.delete(["media/3/a.webp", "media/3/b.webp", "media/3/never.webp"]);
    expect(await backend.storage.get("media/3/a.webp")).toBeNull();
    expect(await backend.storage.get("media/3/b.webp")).toBeNull();
    await backend.storage.delete([]);
    expect(await backend.keys()).not.toContain("media/3/a.webp");
  });

  it("refuses keys that could escape or are not the app's", async () => {
    for (const key of ["../etc/passwd.webp", "/abs.webp", "media/../../x.webp", "media//x.webp", "Media/X.webp", "media/x", "media/x.webp/", "a\u0000.webp"]) {
      expect(isValidKey(key)).toBe(false);
      await expect(backend.storage.put(key, new Uint8Array([1]), "image/webp")).rejects.toThrow(/invalid storage key/);
      await expect(backend.storage.get(key)).rejects.toThrow(/invalid storage key/);
      await expect(backend.storage.delete([key])).rejects.toThrow(/invalid storage key/);
    }
  });
});

describe("local storage", () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await BACKENDS[0][1]();
  });
  afterAll(() => backend?.stop());

  it("writes through a temporary file and leaves none behind", async () => {
    const storage = backend.storage as LocalStorage;
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.put("media/9/same.webp", new Uint8Array(1000).fill(i), "image/webp")));
    const object = await storage.get("media/9/same.webp");
    const bytes = await readAll(object!.body);
    // One whole write won, never a mix of two.
    expect(bytes.length).toBe(1000);
    expect(new Set(bytes).size).toBe(1);
    expect(await readdir(`${storage.root}/media/9`)).toEqual(["same.webp"]);
  });

  it("keeps the content type its key says, and refuses a mismatch", async () => {
    await expect(backend.storage.put("media/9/a.webp", new Uint8Array([1]), "image/png")).rejects.toThrow();
    expect(await backend.keys()).not.toContain("media/9/a.webp");
  });
});
