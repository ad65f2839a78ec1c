// Post text links: #hashtags to their search, @mentions to profiles, URLs kept whole.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PostText } from "@/components/post/post-text";
import { parsePostQuery } from "@/lib/search/syntax";

const html = (content: string) => renderToStaticMarkup(createElement(PostText, { content }));

describe("PostText", () => {
  it("links hashtags to a posts search and valid handles to profiles", () => {
    expect(html("Hi @Alice_1, see #Cats and #東京タワー!")).toBe(
      'Hi <a href="/u/alice_1">@Alice_1</a>, see <a class="hashtag" href="/search?q=%23Cats&amp;tab=posts">#Cats</a> and ' +
        '<a class="hashtag" href="/search?q=%23%E6%9D%B1%E4%BA%AC%E3%82%BF%E3%83%AF%E3%83%BC&amp;tab=posts">#東京タワー</a>!',
    );
  });

  it("leaves emails, glued #, short handles and URL fragments alone", () => {
    expect(html("mail a@bob.com or x#tag, @ab, ##no")).toBe("mail a@bob.com or x#tag, @ab, ##no");
    expect(html("read https://example.com/a#section.")).toBe(
      'read <a href="https://example.com/a#section" rel="noopener nofollow ugc" target="_blank">https://example.com/a#section</a>.',
    );
  });

  it("links every tag the way search reads it", () => {
    // What the link searches for finds the tag it was made from.
    const tags = [...html("#Tag_1 #café #東京").matchAll(/q=([^&]+)/g)].map((m) => decodeURIComponent(m[1]!));
    expect(tags.map((q) => parsePostQuery(q)?.tags)).toEqual([["tag_1"], ["café"], ["東京"]]);
  });
});
