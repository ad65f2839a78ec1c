// "Who to follow" rendered by the server: on the empty home feed (a new user's first sight
// after registering). The right column's copy is fetched by the browser (who-to-follow-aside.tsx).
// It renders nothing when there is nobody to suggest or the suggestions cannot be read, so it
// never takes the page down with it.
import { unstable_rethrow } from "next/navigation";
import { getSuggestions } from "@/lib/people/suggestions";
import type { UserDto } from "@/lib/users/dto";
import { WhoToFollowList } from "./who-to-follow-list";

interface Props {
  viewerId: string;
  limit?: number;
  className?: string;
}

export async function WhoToFollow({ viewerId, limit = 5, className }: Props) {
  return <WhoToFollowList users={await readSuggestions(viewerId, limit)} className={className} />;
}
async function readSuggestions(viewerId: string, limit: number): Promise<UserDto[]> {
  try {
    return await getSuggestions({ viewerId, limit });
  } catch (error) {
    unstable_rethrow(error);
    console.error("reading suggestions failed", { viewerId, error });
    return [];
  }
}
