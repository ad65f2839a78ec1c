import { clientIp } from "@/lib/client-ip";
import { apiRoute, created } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { registerSchema, registerUser } from "@/lib/users/register";

// POST /api/v1/accounts: register → 201 User. The rate limit is per client address as
// lib/client-ip.ts knows it (one shared bucket unless TRUSTED_PROXY_HOPS is set).
export const POST = apiRoute({ auth: "none", body: registerSchema }, async ({ req, body }) => {
  const ip = clientIp(req.headers);
  return created(await registerUser(body, { ip }));
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
