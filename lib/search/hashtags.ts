// What in a post is a hashtag: one definition for the links in post text
// (components/post-text.tsx) and for search (lib/search/syntax.ts), so a linked #tag
// always finds the post it was clicked in. No imports: safe in the browser.

/**
 * # and 1–100 letters, marks, digits or underscores (any script), not glued to a word,
 * another # or an HTML-entity-like "&#" before it. Global: use with matchAll / replace.
 */
export const HASHTAG = /(?<![\p{L}\p{M}\p{N}_&#])#([\p{L}\p{M}\p{N}_]{1,100})/gu;

/** The /search address that lists the posts with this tag. */
export function hashtagHref(tag: string): string {
  return `/search?${new URLSearchParams({ q: `#${tag}`, tab: "posts" })}`;
}
