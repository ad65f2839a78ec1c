import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { logoutAction } from "@/app/(auth)/actions";
import { NotificationsLink } from "@/components/notifications/unread-badge";
import { SearchBox } from "@/components/search/search-box";
import { ThemeScript } from "@/components/ui/theme-script";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { getCurrentUser } from "@/lib/auth/current-user";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Starling", template: "%s · Starling" },
  description: "Starling is an open-source social news feed: follow people, post short updates, read a fast home timeline.",
  applicationName: "Starling",
  // public/; the web manifest is app/manifest.ts.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

// The browser's own UI (address bar, form controls, scrollbars) follows the page's theme.
export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#161b22" },
  ],
};

export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  const user = await getCurrentUser();
  return (
    // The head script sets data-theme before React hydrates, hence suppressHydrationWarning.
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="site-header">
          <nav aria-label="Main" className="site-nav">
            <Link href="/" className="brand">
              <span aria-hidden="true" className="brand-mark">✦</span> <span className="brand-name">Starling</span>
            </Link>
            <SearchBox />
            <div className="nav-links">
              <Link href="/explore">Explore</Link>
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
            <ThemeToggle />
          </nav>
        </header>
        <main id="main" className="site-main">
          {children}
        </main>
      </body>
    </html>
  );
}
