"use client";
// One item of the main navigation: an icon and its label, marked aria-current="page" on its
// own page (or, with `prefix`, anywhere under it: a profile's followers are still the
// profile). Where the navigation is a rail of icons or a phone's tab bar the label is
// visually hidden (app/styles/shell.css) but stays the link's name, and `title` is its
// tooltip.
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

interface Props {
  href: string;
  label: string;
  icon: ReactNode;
  /** Also current on the pages under `href`. */
  prefix?: boolean;
  className?: string;
  /** Beside the icon (an unread count); aria-hidden there, so say it in `after` too. */
  badge?: ReactNode;
  /** After the label, inside the link's name (", 3 unread"). */
  after?: ReactNode;
}

export function NavLink({ href, label, icon, prefix, className, badge, after }: Props) {
  const pathname = usePathname();
  const current = pathname === href || (prefix === true && pathname.startsWith(`${href}/`));
  return (
    <Link href={href} className={["nav-item", className].filter(Boolean).join(" ")} aria-current={current ? "page" : undefined} title={label}>
      <span className="nav-icon">
        {icon}
        {badge}
      </span>
      <span className="nav-label">{label}</span>
      {after}
    </Link>
  );
}
