import "server-only";
// Auth.js v5 with email + password (Credentials provider). Credentials require JWT
// sessions, so Auth.js keeps nothing in the database: the signed cookie carries the
// user's id, username and email.
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { emailSchema } from "@/lib/validation";
import { enforceRateLimit, RateLimitError } from "@/lib/rate-limit";
import { clientIp } from "@/lib/client-ip";
import { verifyPassword } from "./password";

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

export const { handlers, auth, signIn, signOut } = NextAuth({
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
        const [user] = await getDb()
          .select({ id: users.id, username: users.username, email: users.email, displayName: users.displayName, passwordHash: users.passwordHash })
          .from(users)
          .where(eq(sql`lower(${users.email})`, email.data))
          .limit(1);
        if (!user || !(await verifyPassword(user.passwordHash, password))) throw new InvalidLogin();
        return { id: user.id, email: user.email, name: user.displayName, username: user.username };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.username = user.username;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      if (typeof token.username === "string") session.user.username = token.username;
      return session;
    },
  },
});
