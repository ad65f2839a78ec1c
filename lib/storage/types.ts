// The one interface every place that keeps uploaded files goes through (lib/storage/index.ts
// picks the back-end from the environment). Keys are "/"-separated paths of lower-case
// letters, digits, "-" and "_", one extension; they are random and never reused, so a key
// names the same bytes forever and the serving route can cache it for a year.

export interface StoredObject {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** Bytes, when the back-end knows it up front. */
  size?: number;
}

export interface Storage {
  /** Stores the bytes under `key`, replacing any object there; readers never see a partial object. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** Removes the objects; a key with nothing stored is not an error. */
  delete(keys: readonly string[]): Promise<void>;
}

const KEY = /^[a-z0-9_-]+(\/[a-z0-9_-]+)*\.[a-z0-9]+$/;

/** Whether `key` is one this app could have made: no "..", no absolute path, no odd characters. */
export function isValidKey(key: string): boolean {
  return key.length <= 512 && KEY.test(key);
}

export function assertValidKey(key: string): void {
  if (!isValidKey(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
}

/** The content types the app stores, by key extension (the local back-end keeps no metadata). */
export const CONTENT_TYPES: Record<string, string> = {
  webp: "image/webp",
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
};

export function contentTypeOf(key: string): string | undefined {
  return CONTENT_TYPES[key.slice(key.lastIndexOf(".") + 1)];
}
