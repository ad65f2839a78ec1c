// One post: why it is in a feed (a repost), author, time (linking to the post's page), whom
// it answers, text, and the reply, repost and like actions, with a delete button on the
// viewer's own posts.
import Link from "next/link";
import type { FeedItemDto } from "@/lib/feed/feed-item";
import type { PostDto } from "@/lib/posts/dto";
import { DeletePostButton } from "@/components/post/delete-post-button";
import { LikeButton } from "@/components/post/like-button";
import { ActionCount } from "@/components/ui/optimistic-toggle";
import { PostText } from "@/components/post/post-text";
import { PostTime } from "@/components/post/post-time";
import { RepostButton } from "@/components/post/repost-button";

/** A post, or a feed item (a post with the reason it is in the feed). */
export type PostCardItem = PostDto & Partial<Pick<FeedItemDto, "reason">>;

interface Props {
  post: PostCardItem;
  viewerId: string | null;
  /** Where to go after deleting (the post's own page has nowhere to stay). */
  afterDeleteHref?: string;
  onDeleted?: () => void;
  /** The post's page shows it larger. */
  large?: boolean;
  /** The posts above it in a thread, smaller. */
  compact?: boolean;
}

export function PostCard({ post, viewerId, afterDeleteHref, onDeleted, large, compact }: Props) {
  const { author, reason, replyTo } = post;
  const className = ["post", large && "post-large", compact && "post-compact", reason && "post-reposted"].filter(Boolean).join(" ");
  return (
    <article className={className} aria-label={`Post by ${author.displayName}`}>
      {reason && (
        <p className="post-reason muted">
          <span aria-hidden="true">↻ </span>
          {reason.by.id === viewerId ? (
            "You reposted"
          ) : (
            <>
              <Link href={`/u/${reason.by.username}`} className="post-reason-by">
                {reason.by.displayName}
              </Link>{" "}
              reposted
            </>
          )}
        </p>
      )}
      <header className="post-meta">
        <Link href={`/u/${author.username}`} className="post-author">
          <strong>{author.displayName}</strong> <span className="muted">@{author.username}</span>
        </Link>
        <span className="muted" aria-hidden="true">
          ·
        </span>
        <Link href={`/p/${post.id}`} className="muted post-time">
          <PostTime iso={post.createdAt} />
        </Link>
      </header>
      {replyTo && !compact && (
        <p className="post-reply-to muted">
          Replying to <Link href={`/u/${replyTo.author.username}`}>@{replyTo.author.username}</Link>
        </p>
      )}
      <p className="post-content">
        <PostText content={post.content} />
      </p>
      <footer className="post-actions">
        <ReplyLink postId={post.id} count={post.replyCount} onPostPage={large} />
        <RepostButton postId={post.id} reposted={post.repostedByMe} count={post.repostCount} loggedIn={viewerId !== null} />
        <LikeButton postId={post.id} liked={post.likedByMe} count={post.likeCount} loggedIn={viewerId !== null} />
        {viewerId === author.id && <DeletePostButton postId={post.id} redirectTo={afterDeleteHref} onDeleted={onDeleted} />}
      </footer>
    </article>
  );
}

/** To the post's page and its reply box (on the post's page: straight to the box). */
function ReplyLink({ postId, count, onPostPage }: { postId: string; count: number; onPostPage?: boolean }) {
  return (
    <span className="reply">
      <Link href={onPostPage ? "#reply" : `/p/${postId}#reply`} className="reply-link">
        <span aria-hidden="true">↩&#xFE0E;</span>
        <span className="visually-hidden">Reply</span>
      </Link>
      <ActionCount count={count} className="reply-count" one="reply" many="replies" />
    </span>
  );
}
