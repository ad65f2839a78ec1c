import type { MetadataRoute } from "next";

// The web app manifest (served at /manifest.webmanifest and linked from every page).
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Starling",
    short_name: "Starling",
    description: "An open-source social news feed: follow people, post short updates, read a fast home timeline.",
    start_url: "/",
    display: "standalone",
    background_color: "#f7f8fa",
    theme_color: "#2a66d6",
    icons: [
      { src: "/icon.svg", type: "image/svg+xml", sizes: "any" },
      { src: "/icon-192.png", type: "image/png", sizes: "192x192" },
      { src: "/icon-512.png", type: "image/png", sizes: "512x512" },
      { src: "/icon-maskable-512.png", type: "image/png", sizes: "512x512", purpose: "maskable" },
    ],
  };
}
