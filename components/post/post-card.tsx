// One post: why it is in a feed (a repost), the author's face, name, handle and time on one
// line (the name is cut short first, the time never wraps), whom it answers, text, images,
// and the reply, repost and like actions, with a delete button on the viewer's own posts.
import Link from "next/link";
import type { FeedItemDto } from "@/lib/feed/feed-item";
import type { PostDto } from "@/lib/posts/dto";
import { Avatar } from "@/components/people/avatar";
import { DeletePostButton } from "@/components/post/delete-post-button";
import { LikeButton } from "@/components/post/like-button";
import { ActionCount } from "@/components/ui/optimistic-toggle";
import { PostMedia } from "@/components/post/post-media";
import { PostText } from "@/components/post/post-text";
import { PostTime } from "@/components/post/post-time";
import { RepostButton } from "@/components/post/repost-button";
import { ReplyIcon, RepostIcon } from "@/components/ui/icons";

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
  const profile = `/u/${author.username}`;
  return (
    <article className={className} aria-label={`Post by ${author.displayName}`}>
      {reason && (
        <p className="post-reason muted">
          <RepostIcon size={14} />{" "}
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
      {/* The face is a second way to the profile for the mouse; the name link is the one
          for keyboards and screen readers, so this one stays out of both. */}
      <Link href={profile} className="post-avatar" tabIndex={-1} aria-hidden="true">
        <Avatar user={author} size={compact ? 36 : 44} />
      </Link>
      <div className="post-body">
        <header className="post-meta">
          <Link href={profile} className="post-author">
            <strong className="post-name">{author.displayName}</strong> <span className="muted post-handle">@{author.username}</span>
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
        {post.content && (
          <p className="post-content">
            <PostText content={post.content} />
          </p>
        )}
        <PostMedia media={post.media} />
        <footer className="post-actions">
          <ReplyLink postId={post.id} count={post.replyCount} onPostPage={large} />
          <RepostButton postId={post.id} reposted={post.repostedByMe} count={post.repostCount} loggedIn={viewerId !== null} />
          <LikeButton postId={post.id} liked={post.likedByMe} count={post.likeCount} loggedIn={viewerId !== null} />
          {viewerId === author.id && <DeletePostButton postId={post.id} redirectTo={afterDeleteHref} onDeleted={onDeleted} />}
        </footer>
      </div>
    </article>
  );
}

/** To the post's page and its reply box (on the post's page: straight to the box). */
function ReplyLink({ postId, count, onPostPage }: { postId: string; count: number; onPostPage?: boolean }) {
  return (
    <span className="post-action reply">
      <Link href={onPostPage ? "#reply" : `/p/${postId}#reply`} className="action-button reply-link" title="Reply">
        <ReplyIcon size={18} />
        <span className="visually-hidden">Reply</span>
      </Link>
      <ActionCount count={count} className="reply-count" one="reply" many="replies" />
    </span>
  );
}
