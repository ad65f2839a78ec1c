// The avatar fallback: which letters and which colour a person without a picture gets.
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { AVATAR_COLOURS, Avatar, avatarColour, initials } from "@/components/people/avatar";

describe("initials", () => {
  it("takes the first letters of the first and last words of the display name", () => {
    expect(initials({ displayName: "Ada Lovelace", username: "ada" })).toBe("AL");
    expect(initials({ displayName: "grace brewster murray hopper", username: "grace" })).toBe("GH");
  });
  it("takes one letter from a one-word name, skipping leading punctuation", () => {
    expect(initials({ displayName: "ada", username: "x" })).toBe("A");
    expect(initials({ displayName: "(Ada) 'Byron'", username: "x" })).toBe("AB");
  });
  it("keeps whole characters outside the Basic Multilingual Plane and CJK", () => {
    expect(initials({ displayName: "𝒜da Lee", username: "x" })).toBe("𝒜L");
    expect(initials({ displayName: "山田 太郎", username: "x" })).toBe("山太");
  });
  it("falls back to the username when the display name has no letters", () => {
    expect(initials({ displayName: "   ", username: "zed" })).toBe("Z");
    expect(initials({ displayName: "!!!", username: "zed" })).toBe("Z");
  });
});

describe("avatarColour", () => {
  it("is the same for the same username in any case, and from the palette", () => {
    expect(avatarColour("Ada")).toBe(avatarColour("ada"));
    expect(AVATAR_COLOURS).toContain(avatarColour("ada"));
  });
  it("spreads usernames over the whole palette", () => {
    const used = new Set(Array.from({ length: 400 }, (_, i) => avatarColour(`user_${i}`)));
    expect(used.size).toBe(AVATAR_COLOURS.length);
  });
});

describe("Avatar", () => {
  const user = { username: "ada", displayName: "Ada Lovelace", avatarUrl: null };
  it("draws the initials, hidden from screen readers, when there is no picture", () => {
    const html = renderToStaticMarkup(createElement(Avatar, { user, size: 40 }));
    expect(html).toContain(">AL<");
    expect(html).toContain('aria-hidden="true"');
    expect(html).toContain(`background-color:${avatarColour("ada")}`);
  });
  it("shows the picture with an empty alt and its size, loaded lazily", () => {
    const html = renderToStaticMarkup(createElement(Avatar, { user: { ...user, avatarUrl: "/media/a.webp" }, size: 88 }));
    expect(html).toMatch(/<img[^>]*src="\/media\/a.webp"/);
    expect(html).toContain('alt=""');
    expect(html).toContain('width="88"');
    expect(html).toContain('loading="lazy"');
  });
  it("names a lone avatar", () => {
    expect(renderToStaticMarkup(createElement(Avatar, { user, label: "Ada Lovelace" }))).toContain('role="img" aria-label="Ada Lovelace"');
  });
});
