// A post's page, the thread around it: the reply chain above it (compact, root first), the
// post itself, a reply box, then its direct replies, oldest first (the first page rendered
// here, the rest fetched from the replies endpoint while scrolling).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { orNotFound } from "@/lib/pages";
import { PostCard } from "@/components/post/post-card";
import { PostList } from "@/components/feed/post-list";
import { ReplyBox } from "@/components/post/reply-box";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isId } from "@/lib/posts/ids";
import { getPost } from "@/lib/posts/queries";
import { getContext, listReplies } from "@/lib/posts/thread";
import { socialMetadata } from "@/lib/social-metadata";

type Props = { params: Promise<{ id: string }> };

const REPLIES_PAGE = 20;

const loadPost = cache(async (id: string, viewerId: string | null) => {
  // Anything that cannot be a post id is simply not a post.
  if (!isId(id)) notFound();
  return orNotFound(getPost({ postId: id, viewerId }));
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const viewer = await getCurrentUser();
  const post = await loadPost(id, viewer?.id ?? null);
  const excerpt = post.content.length > 60 ? `${post.content.slice(0, 60)}…` : post.content;
  const title = `${post.author.displayName}: “${excerpt}”`;
  const description = post.content.length > 200 ? `${post.content.slice(0, 200)}…` : post.content;
  return {
    title,
    description,
    ...socialMetadata({
      title,
      description,
      path: `/p/${post.id}`,
      openGraph: { type: "article", publishedTime: post.createdAt },
    }),
  };
}

export default async function PostPage({ params }: Props) {
  const { id } = await params;
  const viewer = await getCurrentUser();
  const viewerId = viewer?.id ?? null;
  const post = await loadPost(id, viewerId);
  // Both 404 as well if the post was deleted a moment ago.
  const [{ ancestors }, replies] = await orNotFound(
    Promise.all([getContext({ postId: post.id, viewerId }), listReplies({ postId: post.id, viewerId, limit: REPLIES_PAGE })]),
  );
  const profile = `/u/${post.author.username}`;
  return (
    <>
      <h1 className="visually-hidden">Post by {post.author.displayName}</h1>
      <p className="back">
        <Link href={profile}>← {post.author.displayName}</Link>
      </p>
      {ancestors.length > 0 && (
        <section className="thread-context" aria-labelledby="context-title">
          <h2 id="context-title" className="visually-hidden">
            Earlier in the thread
          </h2>
          {ancestors.map((ancestor) => (
            <PostCard key={ancestor.id} post={ancestor} viewerId={viewerId} compact />
          ))}
        </section>
      )}
      <PostCard post={post} viewerId={viewerId} afterDeleteHref={profile} large />
      {viewer ? (
        <ReplyBox postId={post.id} authorUsername={post.author.username} />
      ) : (
        <p className="reply-login muted">
          <Link href={`/login?next=/p/${post.id}`}>Log in</Link> to reply.
        </p>
      )}
      <section className="thread-replies" aria-labelledby="replies-title">
        <h2 id="replies-title" className="section-title">
          Replies
        </h2>
        <PostList
          // A new reply (the page is re-rendered after replying) starts the list afresh.
          key={`${replies.items.map((reply) => reply.id).join(",")}:${replies.nextCursor ?? ""}`}
          endpoint={`/api/v1/posts/${post.id}/replies`}
          initialItems={replies.items}
          initialCursor={replies.nextCursor}
          viewerId={viewerId}
          empty={<p className="empty-title">No replies yet.</p>}
        />
      </section>
    </>
  );
}
