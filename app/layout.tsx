import type { Metadata } from "next";
import Link from "next/link";
import { logoutAction } from "@/app/(auth)/actions";
import { NotificationsLink } from "@/components/notifications/unread-badge";
import { getCurrentUser } from "@/lib/auth/current-user";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Starling", template: "%s · Starling" },
  description: "Starling is an open-source social news feed: follow people, post short updates, read a fast home timeline.",
};

export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <nav aria-label="Main" className="site-nav">
            <Link href="/" className="brand">
              <span aria-hidden="true">✦</span> Starling
            </Link>
            <div className="nav-links">
              {user ? (
                <>
                  <Link href="/live">Live</Link>
                  <NotificationsLink />
                  <Link href={`/u/${user.username}`}>Profile</Link>
                  <Link href="/settings">Settings</Link>
                  {user.isAdmin && <Link href="/admin">Admin</Link>}
                  <form action={logoutAction}>
                    <button type="submit" className="text-button">
                      Log out
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <Link href="/login">Log in</Link>
                  <Link href="/register" className="button small">
                    Sign up
                  </Link>
                </>
              )}
            </div>
          </nav>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
