import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, redirect } from "next/navigation";
import { AdminFanoutStats } from "@/components/admin/admin-fanout-stats";
import { AdminSearchForm } from "@/components/admin/admin-search-form";
import { AdminUserList } from "@/components/admin/admin-user-list";
import { listSuperstars } from "@/lib/admin/superstars";
import { searchUsers } from "@/lib/admin/user-search";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isAppError } from "@/lib/errors";
import { getFeedStats, type FeedStats } from "@/lib/feed/stats";
import type { UserDto } from "@/lib/users/dto";

export const metadata: Metadata = { title: "Admin" };

type SearchParams = Record<string, string | string[] | undefined>;

const SEARCH_LIMIT = 20;

export default async function AdminPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await getCurrentUser();
  if (!viewer) redirect("/login?next=/admin");
  if (!viewer.isAdmin) forbidden();

  const params = await searchParams;
  const query = first(params.q);
  const cursor = first(params.cursor);
  const [search, superstars, stats] = await Promise.all([
    query === undefined ? null : runSearch(query, viewer.id),
    listSuperstars({ cursor, limit: 30, viewerId: viewer.id }).catch((error: unknown) => {
      // An edited or stale ?cursor= is a bad link, not a broken page.
      if (isAppError(error) && error.code === "invalid_cursor") return null;
      throw error;
    }),
    loadStats(),
  ]);

  return (
    <>
      <section className="card" aria-labelledby="admin-title">
        <h1 id="admin-title">Admin</h1>
        <p className="muted">
          Superstars’ posts are not pushed to every follower’s feed: feeds pull them when they are read. Flag the
          accounts with the largest followings. A flag cannot be removed.
        </p>
      </section>

      <section className="card admin-section" aria-labelledby="search-title">
        <h2 id="search-title">Find people</h2>
        <AdminSearchForm query={query ?? ""} error={search?.error} />
        {search?.users && (
          <section aria-label="Search results">
            <AdminUserList users={search.users} flaggable emptyText={`No one matches “${search.query}”.`} />
            {search.users.length === SEARCH_LIMIT && (
              <p className="field-hint">Showing the first {SEARCH_LIMIT} matches: type more to narrow them down.</p>
            )}
          </section>
        )}
      </section>

      <section className="card admin-section" aria-labelledby="superstars-title">
        <h2 id="superstars-title">Superstars</h2>
        {superstars ? (
          <AdminUserList
            users={superstars.items}
            emptyText="No superstars yet: search for an account above to flag it."
            nextHref={superstars.nextCursor ? `/admin?${new URLSearchParams({ ...(query === undefined ? {} : { q: query }), cursor: superstars.nextCursor })}` : null}
          />
        ) : (
          <p className="form-error">
            That page link is not valid. <Link href="/admin">Start from the top</Link>.
          </p>
        )}
      </section>

      <section className="card admin-section" aria-labelledby="fanout-title">
        <h2 id="fanout-title">Fan-out lag</h2>
        {stats ? <AdminFanoutStats stats={stats} /> : <p className="form-error">The feed stats can’t be read right now. Try again in a moment.</p>}
      </section>
    </>
  );
}

type SearchOutcome = { query: string; users?: UserDto[]; error?: string };

/** Results, or the reason a query was refused (empty, too long) to show under the field. */
async function runSearch(query: string, viewerId: string): Promise<SearchOutcome> {
  try {
    return { query: query.trim(), users: await searchUsers({ query, limit: SEARCH_LIMIT, viewerId }) };
  } catch (error) {
    if (isAppError(error) && error.status === 400) return { query, error: error.fields?.q ?? error.message };
    throw error;
  }
}

/** The stats live in Redis: when it is unreachable the rest of the page still works. */
async function loadStats(): Promise<FeedStats | null> {
  try {
    return await getFeedStats();
  } catch (error) {
    console.error("reading feed stats for the admin page failed", { error });
    return null;
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
