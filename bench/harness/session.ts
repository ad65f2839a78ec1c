// Session cookies for benchmark readers. Logging in hundreds of readers through the
// login form would spend minutes in argon2; instead the harness, which holds the app's
// AUTH_SECRET, mints the same encrypted Auth.js session cookie the login would set, for a
// sessions row it inserted itself (bench/harness/context.ts). The app checks it exactly as
// it checks any other session.
import { encode } from "next-auth/jwt";

/** Auth.js' cookie name on plain http (https adds the __Secure- prefix). */
export const SESSION_COOKIE = "authjs.session-token";

export interface SessionUser {
  id: string;
  username: string;
  email: string;
}

export async function sessionCookie(user: SessionUser, sessionId: string, secret: string): Promise<string> {
  const token = await encode({
    secret,
    salt: SESSION_COOKIE,
    maxAge: 24 * 3600,
    // What lib/auth/index.ts' jwt callback puts in the token at login.
    token: { sub: user.id, email: user.email, name: user.username, uid: user.id, username: user.username, sid: sessionId },
  });
  return `${SESSION_COOKIE}=${token}`;
}
