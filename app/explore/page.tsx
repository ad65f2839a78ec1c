import type { Metadata } from "next";
import { PublicTimeline } from "./public-timeline";
import { getCurrentUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Explore" };

/** Recent posts and reposts from everyone, newest first: what Starling is, before or after signing up. */
export default async function ExplorePage() {
  const viewer = await getCurrentUser();
  return <PublicTimeline viewerId={viewer?.id ?? null} title="Explore" headingLevel={1} />;
}
