// Storage keys of uploads. Each has a random part (128 bits) so a key is never reused and
// cannot be guessed, and the id it belongs to, so the serving route finds its row by
// primary key: media/<media id>/<random>.webp (+ -thumb), avatars/<user id>/<random>.webp.
import crypto from "node:crypto";

const random = () => crypto.randomBytes(16).toString("hex");

export function mediaKeys(mediaId: string): { key: string; thumbKey: string } {
  const token = random();
  return { key: `media/${mediaId}/${token}.webp`, thumbKey: `media/${mediaId}/${token}-thumb.webp` };
}

export function avatarKey(userId: string): string {
  return `avatars/${userId}/${random()}.webp`;
}

export type ParsedKey = { kind: "media"; mediaId: string } | { kind: "avatar"; userId: string };

/** What a key served at /media/… names, or null for anything this app never makes. */
export function parseKey(key: string): ParsedKey | null {
  const media = /^media\/(\d{1,18})\/[0-9a-f]{32}(-thumb)?\.webp$/.exec(key);
  if (media) return { kind: "media", mediaId: media[1]! };
  const avatar = /^avatars\/(\d{1,18})\/[0-9a-f]{32}\.webp$/.exec(key);
  if (avatar) return { kind: "avatar", userId: avatar[1]! };
  return null;
}
