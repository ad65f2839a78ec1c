import "server-only";
// Open Graph and Twitter card tags for pages people share (a profile, a post). Links and
// the image are absolute only when PUBLIC_URL says where the app is reached; without it
// they are left out rather than pointing at localhost.
import type { Metadata } from "next";
import { getEnv } from "./env";

type Share = {
  title: string;
  description: string;
  path: string;
  openGraph: { type: "profile"; username: string } | { type: "article"; publishedTime: string };
};

export function socialMetadata({ title, description, path, openGraph }: Share): Pick<Metadata, "openGraph" | "twitter" | "alternates"> {
  const base = getEnv().PUBLIC_URL;
  const url = base ? new URL(path, base).toString() : undefined;
  const images = base ? [{ url: new URL("/icon-512.png", base).toString(), width: 512, height: 512, alt: "Starling" }] : undefined;
  return {
    openGraph: { ...openGraph, title, description, siteName: "Starling", url, images },
    twitter: { card: "summary", title, description, images },
    alternates: url ? { canonical: url } : undefined,
  };
}
