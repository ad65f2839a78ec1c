// The search form: a plain GET to /search, so it works without JavaScript and a result
// page's address can be shared. In the navigation it starts empty; on /search it holds the
// query and keeps the open tab.

interface Props {
  defaultValue?: string;
  /** The /search tab to open ("people" or "posts"); the page's default when absent. */
  tab?: string;
  /** The input's id and the landmark's name differ when a page shows two boxes (the navigation's and its own). */
  id?: string;
  landmark?: string;
}

export function SearchBox({ defaultValue = "", tab, id = "site-search", landmark = "Site search" }: Props) {
  return (
    <form action="/search" method="get" role="search" aria-label={landmark} className="search-box">
      <label htmlFor={id} className="visually-hidden">
        Search people and posts
      </label>
      <input id={id} type="search" name="q" defaultValue={defaultValue} placeholder="Search" required />
      {tab && <input type="hidden" name="tab" value={tab} />}
      <button type="submit" className="visually-hidden">
        Search
      </button>
    </form>
  );
}
