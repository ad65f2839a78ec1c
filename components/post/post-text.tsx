// A post's text as React text nodes (escaped by React, never parsed as HTML), with
// @mentions linked to profiles, #hashtags to their search, and http(s) URLs linked safely.
import Link from "next/link";
import type { ReactNode } from "react";
import { HASHTAG, hashtagHref } from "@/lib/search/hashtags";

// A mention is @ plus a username not glued to a word before it (so "a@b.com" is no mention).
// A URL is matched first, so the #fragment of a link is part of the link, not a hashtag.
const TOKENS = new RegExp(String.raw`(https?:\/\/[^\s<>"]+)|(?<![\w@])@([a-zA-Z0-9_]{3,30})(?![\w])|${HASHTAG.source}`, "gu");
// Punctuation that ends a sentence more often than it ends a URL.
const TRAILING = /[.,!?;:'")\]]+$/;

export function PostText({ content }: { content: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of content.matchAll(TOKENS)) {
    const start = match.index;
    let text = match[0];
    if (match[1]) text = text.replace(TRAILING, "");
    if (start > last) parts.push(content.slice(last, start));
    if (match[1]) {
      parts.push(
        <a key={start} href={text} rel="noopener nofollow ugc" target="_blank">
          {text}
        </a>,
      );
    } else if (match[2]) {
      parts.push(
        <Link key={start} href={`/u/${match[2].toLowerCase()}`}>
          {text}
        </Link>,
      );
    } else {
      parts.push(
        <Link key={start} href={hashtagHref(match[3]!)} className="hashtag">
          {text}
        </Link>,
      );
    }
    last = start + text.length;
  }
  if (last < content.length) parts.push(content.slice(last));
  return <>{parts}</>;
}
