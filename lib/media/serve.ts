import "server-only";
// Who may load a stored object (app/media/[...key]/route.ts). An avatar: anyone, while it
// is the user's current one. A post image: anyone once attached to a live post; before that
// only its owner (a draft's preview); never after the post is deleted. Anything else is
// unknown (404), whether or not bytes exist under that key.
import { getSql } from "@/db";
import { getStorage, type StoredObject } from "@/lib/storage";
import { parseKey } from "./keys";

export interface ServedObject extends StoredObject {
  /** Cacheable by shared caches; false: only the owner may see it (an unattached upload). */
  public: boolean;
}

export async function openMedia({ key, viewerId }: { key: string; viewerId: () => Promise<string | null> }): Promise<ServedObject | null> {
  const parsed = parseKey(key);
  if (!parsed) return null;
  const sql = getSql();
  let isPublic: boolean;
  if (parsed.kind === "avatar") {
    const [row] = await sql`select 1 from users where id = ${parsed.userId} and avatar_key = ${key}`;
    if (!row) return null;
    isPublic = true;
  } else {
    const [row] = await sql<[{ owner_id: string; post_id: string | null; post_live: boolean }?]>`
      select m.owner_id::text as owner_id, m.post_id::text as post_id, (p.id is not null and p.deleted_at is null) as post_live
      from media m left join posts p on p.id = m.post_id
      where m.id = ${parsed.mediaId} and (m.key = ${key} or m.thumb_key = ${key})`;
    if (!row) return null;
    if (row.post_id) {
      if (!row.post_live) return null;
      isPublic = true;
    } else {
      if ((await viewerId()) !== row.owner_id) return null;
      isPublic = false;
    }
  }
  const object = await getStorage().get(key);
  return object ? { ...object, public: isPublic } : null;
}
