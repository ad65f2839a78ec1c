// The API's `FeedItem`: a Post plus why it is in the feed (home feed and public timeline).
import type { PostDto, UserLite } from "@/lib/posts/dto";

export interface RepostReason {
  type: "repost";
  /** The most recent reposter the reader follows. */
  by: UserLite;
  /** That repost's time (ISO-8601): the item's position in the feed. */
  at: string;
}

export interface FeedItemDto extends PostDto {
  /** null: the post is there in its own right (its publication). */
  reason: RepostReason | null;
}

/** Where an item sits in its feed: its repost's time, or its publication's. */
export function feedPosition(item: Pick<FeedItemDto, "id" | "createdAt" | "reason">): { t: number; id: string } {
  return { t: Date.parse(item.reason?.at ?? item.createdAt), id: item.id };
}
