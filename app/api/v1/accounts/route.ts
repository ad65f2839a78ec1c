import { clientIp } from "@/lib/client-ip";
import { apiRoute, created } from "@/lib/api/route";
import { registerSchema, registerUser } from "@/lib/users/register";

// POST /api/v1/accounts: register → 201 User. The rate limit is per client IP: the first
// X-Forwarded-For hop, which the deployment's proxy must set (or "local" without one).
export const POST = apiRoute({ auth: "none", body: registerSchema }, async ({ req, body }) => {
  const ip = clientIp(req.headers);
  return created(await registerUser(body, { ip }));
});
