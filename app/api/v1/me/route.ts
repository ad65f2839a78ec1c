import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getMe, profileUpdateSchema, updateProfile } from "@/lib/users/profile";

// The logged-in user's own profile (with email and isAdmin), and editing it.
export const GET = apiRoute({ auth: "required" }, ({ user }) => getMe(user));

export const PATCH = apiRoute({ auth: "required", body: profileUpdateSchema }, ({ user, body }) =>
  updateProfile({ userId: user.id, ...body }),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
