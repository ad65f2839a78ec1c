// What a search box query means: the `q` rule of both endpoints and the page, and how a
// posts query splits into #tags, words and substring terms. Pure: no database here.
import { z } from "zod";
import { countCharacters, limitSchema } from "@/lib/validation";
import { HASHTAG } from "./hashtags";

export const SEARCH_MAX_LENGTH = 100;

/** `q` of both search endpoints and the /search page: 1–100 characters once trimmed. */
export const searchTextSchema = z
  .string({ error: "Type something to search for." })
  .trim()
  .min(1, "Type something to search for.")
  .refine((v) => !v.includes("\u0000"), "Searches can't contain NUL characters.")
  .refine((v) => countCharacters(v) <= SEARCH_MAX_LENGTH, `Searches can be at most ${SEARCH_MAX_LENGTH} characters.`);

// Scripts written without spaces between words: a "word" there is any run of characters,
// so search matches them as substrings rather than as whole words.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
// Punctuation around a term ("東京、" or "(tokyo)") is not part of what is looked for.
const EDGE_PUNCTUATION = /^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu;

export interface PostQuery {
  /** Hashtags without the #, lower-case, each once. */
  tags: string[];
  /** Space-separated words for full-text search ('' when none). */
  words: string;
  /** Terms in unspaced scripts, matched as substrings of the content. */
  substrings: string[];
}

/** Splits a posts query into #tags, words, and substring terms; `null` when nothing searchable is left. */
export function parsePostQuery(q: string): PostQuery | null {
  const tags = new Set<string>();
  const rest = q.replace(HASHTAG, (_, tag: string) => {
    tags.add(tag.toLowerCase());
    return " ";
  });
  const words: string[] = [];
  const substrings = new Set<string>();
  for (const raw of rest.split(/\s+/u)) {
    const term = raw.replace(EDGE_PUNCTUATION, "");
    if (!HAS_WORD_CHARACTER.test(term)) continue;
    if (UNSPACED.test(term)) substrings.add(term);
    else words.push(term);
  }
  if (tags.size === 0 && words.length === 0 && substrings.size === 0) return null;
  return { tags: [...tags], words: words.join(" "), substrings: [...substrings] };
}

/** A people query: the text without leading @ (handles are written "@name"); '' when nothing is left. */
export function normalizePeopleQuery(q: string): string {
  return q.trim().replace(/^@+/u, "").trim();
}

/** `text` as a LIKE pattern that matches it literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The query string of GET /api/v1/search/users and /search/posts. */
export const searchQuerySchema = z.object({
  q: searchTextSchema,
  limit: limitSchema,
  cursor: z.string().optional(),
});
