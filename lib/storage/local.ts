import "server-only";
// Files under a directory (by default <STARLING_DATA_DIR>/media). A put writes a temporary
// file beside the target and renames it into place, so a reader sees the old object or the
// whole new one, never a half-written file, and a crash leaves only a *.tmp-* file behind.
// The content type is the key's extension's (types.ts): put refuses a mismatch rather than
// forget it.
import { mkdir, open, rename, rm, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import crypto from "node:crypto";
import { assertValidKey, contentTypeOf, type Storage, type StoredObject } from "./types";

export class LocalStorage implements Storage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file of a key; validated keys cannot leave the root, and this checks again. */
  private file(key: string): string {
    assertValidKey(key);
    const file = path.resolve(this.root, ...key.split("/"));
    if (!file.startsWith(this.root + path.sep)) throw new Error(`storage key ${JSON.stringify(key)} leaves the storage root`);
    return file;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const file = this.file(key);
    if (contentTypeOf(key) !== contentType) throw new Error(`local storage keeps ${contentType} only under a key with its extension, not ${key}`);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.tmp-${crypto.randomBytes(6).toString("hex")}`;
    try {
      await writeFile(temp, bytes, { flag: "wx" });
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    const file = this.file(key);
    const contentType = contentTypeOf(key);
    if (!contentType) return null;
    let handle: FileHandle;
    try {
      // Opened before streaming: a delete after this point still lets this read finish.
      handle = await open(file, "r");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return null;
      throw error;
    }
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      return null;
    }
    const stream = handle.createReadStream(); // closes the handle at the end or on cancel
    return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, contentType, size: info.size };
  }

  async delete(keys: readonly string[]): Promise<void> {
    const files = keys.map((key) => this.file(key));
    await Promise.all(files.map((file) => rm(file, { force: true })));
  }
}
