// The site's frame around every page (app/layout.tsx): the brand, the main navigation, log
// out and the theme button. One <nav> restyled by CSS (app/styles/shell.css) for each width
// rather than a copy per layout, so every link has one name on the page:
//   ≥ 1180 px  a left column of icons and labels, log out and the theme button at its foot;
//   640–1179   the same column as a rail of icons (labels visually hidden, tooltips);
//   < 640      a one-row top bar (brand, search, theme) and the nav as a tab bar fixed to
//              the bottom of the screen (Admin and Log out are on one's own profile).
import Link from "next/link";
import { logoutAction } from "@/app/(auth)/actions";
import { NotificationsLink } from "@/components/notifications/unread-badge";
import { ExploreIcon, HomeIcon, LiveIcon, LogInIcon, LogOutIcon, SearchIcon, SettingsIcon, ShieldIcon, SignUpIcon, UserIcon } from "@/components/ui/icons";
import { NavLink } from "@/components/ui/nav-link";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import type { CurrentUser } from "@/lib/auth/current-user";

export function SiteHeader({ user }: { user: CurrentUser | null }) {
  return (
    <header className="shell-bar">
      <Link href="/" className="brand">
        <span aria-hidden="true" className="brand-mark">
          ✦
        </span>{" "}
        <span className="brand-name">Starling</span>
      </Link>
      {/* Where the right column (and its search box) is hidden: a way to /search. */}
      <Link href="/search" className="shell-search-link" aria-label="Search" title="Search">
        <SearchIcon />
      </Link>
      <nav aria-label="Main" className={user ? "shell-nav" : "shell-nav shell-nav-guest"}>
        <ul className="nav-list">
          <li>
            <NavLink href="/" label="Home" icon={<HomeIcon />} />
          </li>
          <li>
            <NavLink href="/explore" label="Explore" icon={<ExploreIcon />} />
          </li>
          {user ? (
            <>
              <li>
                <NavLink href="/live" label="Live" icon={<LiveIcon />} />
              </li>
              <li>
                <NotificationsLink />
              </li>
              <li>
                <NavLink href={`/u/${user.username}`} label="Profile" icon={<UserIcon />} prefix />
              </li>
              <li className="nav-secondary">
                <NavLink href="/settings" label="Settings" icon={<SettingsIcon />} />
              </li>
              {user.isAdmin && (
                <li className="nav-secondary">
                  <NavLink href="/admin" label="Admin" icon={<ShieldIcon />} />
                </li>
              )}
            </>
          ) : (
            <>
              <li>
                <NavLink href="/login" label="Log in" icon={<LogInIcon />} />
              </li>
              <li>
                <NavLink href="/register" label="Sign up" icon={<SignUpIcon />} className="nav-signup" />
              </li>
            </>
          )}
        </ul>
        {user && <LogOutButton />}
      </nav>
      <ThemeToggle />
    </header>
  );
}

/** Log out as a plain form post, so it works before (or without) JavaScript. */
function LogOutButton() {
  return (
    <form action={logoutAction} className="nav-logout">
      <button type="submit" className="nav-item" title="Log out">
        <span className="nav-icon">
          <LogOutIcon />
        </span>
        <span className="nav-label">Log out</span>
      </button>
    </form>
  );
}

/** The right column's card for visitors: what Starling is, and the way in. */
export function JoinCard() {
  return (
    <section className="join-card" aria-labelledby="join-card-title">
      <h2 id="join-card-title">New to Starling?</h2>
      <p className="muted">Follow people, post short updates, and read a home feed that keeps up.</p>
      <p className="join-card-actions">
        <Link href="/register" className="button">
          Create an account
        </Link>
        <Link href="/login" className="button secondary">
          Log in
        </Link>
      </p>
    </section>
  );
}
