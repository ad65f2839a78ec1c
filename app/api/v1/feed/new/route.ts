// GET /api/v1/feed/new?since=<cursor> → {count}: how many posts newer than `since` (the
// position of the newest post the client shows) are in the feed, at most 20. Cheap: Redis (Postgres while Redis is unavailable).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { countNewerPosts } from "@/lib/feed/home-feed";

const query = z.object({ since: z.string().min(1, "Required: the cursor of the newest post shown.") });

export const GET = apiRoute({ auth: "required", query }, async ({ user, query }) => ({
  count: await countNewerPosts({ viewerId: user.id, since: query.since }),
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
