// What the media tests share: a real S3-compatible server (s3rver, on a random port with a
// temporary directory), both storage back-ends, a way to list every stored key, and images
// made with sharp.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import sharp from "sharp";
import { LocalStorage } from "@/lib/storage/local";
import { S3Storage, type S3Config } from "@/lib/storage/s3";
import type { Storage } from "@/lib/storage/types";

export interface Backend {
  name: "local" | "s3";
  storage: Storage;
  /** The environment that makes getStorage() pick this back-end. */
  env: Record<string, string | undefined>;
  /** Every key stored, sorted. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startLocalBackend(): Promise<Backend> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "starling-media-"));
  const root = path.join(dataDir, "media");
  return {
    name: "local",
    storage: new LocalStorage(root),
    env: { STARLING_DATA_DIR: dataDir, S3_BUCKET: undefined },
    keys: async () => {
      const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
      return entries
        .filter((e) => e.isFile())
        .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
        .sort();
    },
    stop: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export async function startS3Backend(): Promise<Backend> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "starling-s3rver-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
  const { port } = await server.run();
  const config: S3Config = {
    bucket: "starling-test",
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  };
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId!, secretAccessKey: config.secretAccessKey! },
  });
  await client.send(new CreateBucketCommand({ Bucket: config.bucket }));
  const storage = new S3Storage(config);
  return {
    name: "s3",
    storage,
    env: {
      S3_BUCKET: config.bucket,
      S3_ENDPOINT: config.endpoint,
      S3_REGION: config.region,
      S3_ACCESS_KEY_ID: config.accessKeyId,
      S3_SECRET_ACCESS_KEY: config.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
    keys: async () => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: config.bucket, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    stop: async () => {
      storage.destroy();
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export const BACKENDS = [
  ["local", startLocalBackend],
  ["s3", startS3Backend],
] as const;

/** Points getEnv()/getStorage() at the back-end; returns a function that undoes it. */
export function useBackendEnv(backend: Backend, reset: () => void): () => void {
  const saved = Object.fromEntries(Object.keys(backend.env).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    reset();
  };
  apply(backend.env);
  return () => apply(saved);
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

export type Format = "png" | "jpeg" | "webp" | "gif";

/** A real image: a colour gradient-ish block of the given size. */
export async function makeImage(format: Format, width: number, height: number): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } }).composite([
    { input: { create: { width: Math.max(1, Math.floor(width / 2)), height: Math.max(1, Math.floor(height / 2)), channels: 3, background: { r: 20, g: 120, b: 220 } } }, left: 0, top: 0 },
  ]);
  return image.toFormat(format).toBuffer();
}

/** A JPEG whose EXIF says "rotate 90° clockwise to display" (orientation 6) and carries a description. */
export async function makeRotatedJpeg(width: number, height: number): Promise<Buffer> {
  const tagged = await sharp({ create: { width, height, channels: 3, background: "#888" } })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: "secret location" } })
    .toBuffer();
  return sharp(tagged).keepExif().withMetadata({ orientation: 6 }).toBuffer();
}

/** A 1×1 PNG whose header claims 30000 × 30000 pixels (CRC fixed so decoders read the header). */
export async function makeLyingHeaderPng(): Promise<Buffer> {
  const png = Buffer.from(await makeImage("png", 1, 1));
  // IHDR data starts at byte 16: width (4), height (4), then depth, colour type, …
  png.writeUInt32BE(30000, 16);
  png.writeUInt32BE(30000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** A real decompression bomb: a blank 9000 × 9000 PNG (81 MP, past the 64 MP limit) that compresses to kilobytes. */
export async function makeBombPng(): Promise<Buffer> {
  return sharp(Buffer.alloc(9000 * 9000), { raw: { width: 9000, height: 9000, channels: 1 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
