import "server-only";
// Which storage the app uses, chosen by the environment alone: an S3-compatible bucket when
// S3_BUCKET is set, else files under <STARLING_DATA_DIR or .data>/media.
import path from "node:path";
import { getEnv } from "@/lib/env";
import { LocalStorage } from "./local";
import { S3Storage } from "./s3";
import type { Storage } from "./types";

export type { Storage, StoredObject } from "./types";
export { isValidKey } from "./types";

const globalForStorage = globalThis as unknown as { starlingStorage?: Storage };

export function getStorage(): Storage {
  globalForStorage.starlingStorage ??= storageFromEnv();
  return globalForStorage.starlingStorage;
}

function storageFromEnv(): Storage {
  const env = getEnv();
  if (env.S3_BUCKET) {
    return new S3Storage({
      bucket: env.S3_BUCKET,
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    });
  }
  return new LocalStorage(path.join(path.resolve(env.STARLING_DATA_DIR), "media"));
}

/** Lets tests switch back-ends after changing the environment. */
export function resetStorage(): void {
  globalForStorage.starlingStorage = undefined;
}
