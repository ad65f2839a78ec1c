// `@username` mentions in a post's text, found as components/post-text.tsx links them:
// 3–30 of a-z, 0-9 and _ (the username rule), case-insensitive, not glued to a word (an
// email address) or another @ before, nor to a word after (a longer name is no mention of
// its first 30 characters), and never inside a URL.
const URL = /https?:\/\/[^\s<>"]+/g;
const MENTION = /(?<![\w@])@([a-zA-Z0-9_]{3,30})(?!\w)/g;

/** The distinct usernames mentioned, lower-case, in order of first mention. */
export function parseMentions(content: string): string[] {
  const names = new Set<string>();
  for (const match of content.replace(URL, " ").matchAll(MENTION)) names.add(match[1]!.toLowerCase());
  return [...names];
}
