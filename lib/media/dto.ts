// Storage keys to the URLs clients load (served by app/media/[...key]/route.ts, whichever
// back-end holds the bytes), and media rows to the API's `Media`.

/** Root-relative, so it works behind any host name; API clients resolve it against the API's origin. */
export function mediaUrl(key: string): string {
  return `/media/${key}`;
}

export function avatarUrl(avatarKey: string | null | undefined): string | null {
  return avatarKey ? mediaUrl(avatarKey) : null;
}

/** An image attached to a post (the contract's `Media`). */
export interface MediaDto {
  id: string;
  url: string;
  thumbnailUrl: string;
  /** Of the image at `url`. */
  width: number;
  height: number;
  altText: string;
}

export interface MediaFields {
  id: string;
  key: string;
  thumbKey: string;
  width: number;
  height: number;
  altText: string;
}

export function toMediaDto(row: MediaFields): MediaDto {
  return { id: row.id, url: mediaUrl(row.key), thumbnailUrl: mediaUrl(row.thumbKey), width: row.width, height: row.height, altText: row.altText };
}
