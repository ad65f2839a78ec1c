// Reading a whole home feed page by page, checking what every client relies on.
import { expect } from "vitest";
import { getHomeFeed } from "@/lib/feed/home-feed";

/**
 * Every item of the feed, through the cursor, `limit` per page, as its post id plus
 * `<reposter` for a repost (groundTruth's form); fails on a repeat or a bad page. With more
 * than one reader (app instances), the pages are read by each in turn.
 */
export async function readWholeFeed(userId: string, limit: number, readers: ReadonlyArray<typeof getHomeFeed> = [getHomeFeed]): Promise<string[]> {
  const ids: string[] = [];
  const items: string[] = [];
  const shown: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await readers[pages % readers.length]!({ viewerId: userId, cursor, limit });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((i) => i.id));
    items.push(...page.items.map((i) => (i.reason ? `${i.id}<${i.reason.by.id}` : i.id)));
    shown.push(page.items.map((i) => (i.reason ? `${i.id}<${i.reason.by.id}@${i.reason.at.slice(17, 23)}` : `${i.id}@${i.createdAt.slice(17, 23)}`)).join(" "));
    if (page.nextCursor === null) {
      expect(new Set(ids).size, `a post appeared twice: ${shown.join(" | ")}`).toBe(ids.length);
      return items;
    }
    // nextCursor is null exactly when nothing is older: a full page precedes it.
    expect(page.items).toHaveLength(limit);
    cursor = page.nextCursor;
  }
  throw new Error("the feed never ended");
}
