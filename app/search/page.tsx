// /search?q=…&tab=people|posts: people (best match first, "Show more" links) and posts
// (newest first, infinite scroll over GET /api/v1/search/posts). The tabs are links, so
// everything works without JavaScript and every state has its own address.
import type { Metadata } from "next";
import Link from "next/link";
import { FollowButton } from "@/components/people/follow-button";
import { PostList } from "@/components/feed/post-list";
import { SearchBox } from "@/components/search/search-box";
import { UserList } from "@/components/people/user-list";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isAppError } from "@/lib/errors";
import { searchPosts } from "@/lib/search/posts";
import { searchTextSchema } from "@/lib/search/syntax";
import { searchUsers } from "@/lib/search/users";

type SearchParams = Record<string, string | string[] | undefined>;
type Props = { searchParams: Promise<SearchParams> };
type Tab = "people" | "posts";

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

function readParams(params: SearchParams) {
  const raw = one(params.q);
  const parsed = raw === undefined ? null : searchTextSchema.safeParse(raw);
  const q = parsed?.success ? parsed.data : null;
  const requested = one(params.tab);
  // A #tag is about posts; anything else looks for people first.
  const tab: Tab = requested === "posts" || requested === "people" ? requested : q?.startsWith("#") ? "posts" : "people";
  const problem = parsed && !parsed.success ? (parsed.error.issues[0]?.message ?? "That search is not valid.") : null;
  return { raw: raw ?? "", q, tab, problem, cursor: one(params.cursor) };
}

const href = (q: string, tab: Tab, cursor?: string) => `/search?${new URLSearchParams({ q, tab, ...(cursor ? { cursor } : {}) })}`;

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { q } = readParams(await searchParams);
  return { title: q ? `Search: ${q}` : "Search" };
}

export default async function SearchPage({ searchParams }: Props) {
  const [{ raw, q, tab, problem, cursor }, viewer] = await Promise.all([searchParams.then(readParams), getCurrentUser()]);

  return (
    <section className="search-page" aria-labelledby="search-title">
      <h1 id="search-title" className="page-title">
        Search
      </h1>
      <SearchBox defaultValue={raw} tab={tab} id="search-page-q" landmark="Search" />
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      {q === null ? (
        !problem && <p className="empty">Find people by name or @handle, and posts by words or #hashtags.</p>
      ) : (
        <>
          <nav aria-label="Search results" className="search-tabs">
            {(["people", "posts"] as const).map((t) => (
              <Link key={t} href={href(q, t)} aria-current={t === tab ? "page" : undefined}>
                {t === "people" ? "People" : "Posts"}
              </Link>
            ))}
          </nav>
          {tab === "people" ? <PeopleResults q={q} cursor={cursor} viewerId={viewer?.id ?? null} /> : <PostResults q={q} viewerId={viewer?.id ?? null} />}
        </>
      )}
    </section>
  );
}

async function PeopleResults({ q, cursor, viewerId }: { q: string; cursor?: string; viewerId: string | null }) {
  let page;
  try {
    page = await searchUsers({ q, cursor, limit: 30, viewerId });
  } catch (error) {
    // An edited or stale ?cursor= is a bad link, not a broken page.
    if (!isAppError(error) || error.code !== "invalid_cursor") throw error;
    return (
      <p className="form-error">
        That page link is not valid. <Link href={href(q, "people")}>Start from the top</Link>.
      </p>
    );
  }
  return (
    <UserList
      users={page.items}
      action={(u) => viewerId && viewerId !== u.id && <FollowButton key={u.username} username={u.username} following={u.followedByMe ?? false} />}
      nextHref={page.nextCursor ? href(q, "people", page.nextCursor) : null}
      emptyText={`No people match “${q}”.`}
    />
  );
}

async function PostResults({ q, viewerId }: { q: string; viewerId: string | null }) {
  const page = await searchPosts({ q, limit: 20, viewerId });
  return (
    <PostList
      // A new query (or a changed first page) starts the list afresh.
      key={`${q}:${page.items[0]?.id ?? ""}`}
      endpoint={`/api/v1/search/posts?${new URLSearchParams({ q })}`}
      initialItems={page.items}
      initialCursor={page.nextCursor}
      viewerId={viewerId}
      empty={<p>No posts match “{q}”.</p>}
    />
  );
}
