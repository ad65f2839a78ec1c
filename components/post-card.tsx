// One post: author, time (linking to the post's page), text, like button, and a delete
// button on the viewer's own posts.
import Link from "next/link";
import type { PostDto } from "@/lib/posts/dto";
import { DeletePostButton } from "./delete-post-button";
import { LikeButton } from "./like-button";
import { PostText } from "./post-text";
import { PostTime } from "./post-time";

interface Props {
  post: PostDto;
  viewerId: string | null;
  /** Where to go after deleting (the post's own page has nowhere to stay). */
  afterDeleteHref?: string;
  onDeleted?: () => void;
  /** The post's page shows it larger. */
  large?: boolean;
}

export function PostCard({ post, viewerId, afterDeleteHref, onDeleted, large }: Props) {
  const { author } = post;
  return (
    <article className={large ? "post post-large" : "post"} aria-label={`Post by ${author.displayName}`}>
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
      <p className="post-content">
        <PostText content={post.content} />
      </p>
      <footer className="post-actions">
        <LikeButton postId={post.id} liked={post.likedByMe} count={post.likeCount} loggedIn={viewerId !== null} />
        {viewerId === author.id && <DeletePostButton postId={post.id} redirectTo={afterDeleteHref} onDeleted={onDeleted} />}
      </footer>
    </article>
  );
}
