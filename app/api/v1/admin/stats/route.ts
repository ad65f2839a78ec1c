import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getFeedStats } from "@/lib/feed/stats";

// GET /api/v1/admin/stats: fan-out lag and timeline rebuilds (lib/feed/stats.ts).
export const GET = apiRoute({ auth: "admin" }, () => getFeedStats());

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
