import "server-only";
// Auth.js v5 with email + password (Credentials provider). Credentials require JWT
// sessions: the encrypted cookie carries the user's id, username and email, plus the id
// (sid) of the server-side session row that makes it revocable (./sessions.ts). Logging
// in creates that row; logging out (the site's button or POST /api/auth/signout) revokes it.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getEnv } from "@/lib/env";
import { emailSchema } from "@/lib/validation";
import { enforceRateLimit, RateLimitError } from "@/lib/rate-limit";
import { clientIp } from "@/lib/client-ip";
import { verifyCredentials } from "./credentials";
import { isSessionActive, revokeSession, startSession } from "./sessions";

class InvalidLogin extends CredentialsSignin {
  code = "invalid_credentials";
}
class TooManyLogins extends CredentialsSignin {
  code = "rate_limited";
}

declare module "next-auth" {
  interface User {
    username?: string;
  }
}

const config: NextAuthConfig = {
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  trustHost: true,
  pages: { signIn: "/login" },
  // A wrong password is an expected outcome, not an error worth a stack trace in the log.
  logger: {
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const email = emailSchema.safeParse(credentials?.email);
        const password = typeof credentials?.password === "string" ? credentials.password : "";
        if (!email.success || !password) throw new InvalidLogin();
        const ip = clientIp(request.headers);
        try {
          await enforceRateLimit("login", `${email.data}|${ip}`);
        } catch (error) {
          if (error instanceof RateLimitError) throw new TooManyLogins();
          throw error;
        }
        const user = await verifyCredentials({ email: email.data, password });
        if (!user) throw new InvalidLogin();
        return { id: user.id, email: user.email, name: user.displayName, username: user.username };
      },
    }),
  ],
  events: {
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await revokeSession(sid);
    },
  },
  callbacks: {
    // Runs at login (with `user`) and whenever Auth.js itself reads the cookie (e.g.
    // GET /api/auth/session); null there clears a cookie whose session has ended.
    async jwt({ token, user }) {
      if (user?.id) {
        token.uid = user.id;
        token.username = user.username;
        token.sid = await startSession(user.id);
        return token;
      }
      const active = typeof token.sid === "string" && typeof token.uid === "string" && (await isSessionActive(token.sid, token.uid));
      return active ? token : null;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      if (typeof token.username === "string") session.user.username = token.username;
      return session;
    },
  },
};

// Auth.js builds its redirects from AUTH_URL, else from the request, whose URL in a route
// handler carries the address Next.js binds to (http://0.0.0.0:3000 under the launcher).
// Set lazily (the config is read per request): `next build` imports this without an env.
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  process.env.AUTH_URL ??= publicUrl();
  return config;
});

/** Where people reach the app; see PUBLIC_URL in .env.example. */
function publicUrl(): string {
  const env = getEnv();
  return env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}
