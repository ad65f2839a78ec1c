import { apiRoute, created } from "@/lib/api/route";
import { registerSchema, registerUser } from "@/lib/users/register";

// POST /api/v1/accounts: register → 201 User. The rate limit is per client IP: the first
// X-Forwarded-For hop, which the deployment's proxy must set (or "local" without one).
export const POST = apiRoute({ auth: "none", body: registerSchema }, async ({ req, body }) => {
  const ip = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
  return created(await registerUser(body, { ip }));
});
