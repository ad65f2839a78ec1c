import type { Metadata, Viewport } from "next";
import { JoinCard, SiteHeader } from "@/components/ui/site-header";
import { WhoToFollowAside } from "@/components/people/who-to-follow-aside";
import { SearchBox } from "@/components/search/search-box";
import { ThemeScript } from "@/components/ui/theme-script";
import { getCurrentUser } from "@/lib/auth/current-user";
import "./globals.css";
import "./styles/shell.css";
import "./styles/posts.css";

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
// viewport-fit=cover lets the phone's tab bar pad itself past the home indicator
// (env(safe-area-inset-bottom) is 0 without it).
export const viewport: Viewport = {
  colorScheme: "light dark",
  viewportFit: "cover",
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
        <div className="shell">
          <SiteHeader user={user} />
          <main id="main" className="shell-main">
            {children}
          </main>
          <aside className="shell-aside" aria-label="Search and suggestions">
            <SearchBox />
            {user ? <WhoToFollowAside /> : <JoinCard />}
          </aside>
        </div>
      </body>
    </html>
  );
}
