import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { orNotFound } from "@/lib/pages";
import { PostCard } from "@/components/post-card";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isId } from "@/lib/posts/ids";
import { getPost } from "@/lib/posts/queries";

type Props = { params: Promise<{ id: string }> };

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
  return { title: `${post.author.displayName}: “${excerpt}”` };
}

export default async function PostPage({ params }: Props) {
  const { id } = await params;
  const viewer = await getCurrentUser();
  const post = await loadPost(id, viewer?.id ?? null);
  const profile = `/u/${post.author.username}`;
  return (
    <>
      <h1 className="visually-hidden">Post by {post.author.displayName}</h1>
      <p className="back">
        <Link href={profile}>← {post.author.displayName}</Link>
      </p>
      <PostCard post={post} viewerId={viewer?.id ?? null} afterDeleteHref={profile} large />
    </>
  );
}
