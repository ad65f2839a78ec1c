"use client";
// "Who to follow" in the right column of every page, asked for by the browser once the page
// is up, and only where the column shows (wide screens). Run by the server, the suggestions
// query would be part of every server render of every page (the root layout renders it),
// and it is the most expensive query a page would make.
import { useEffect, useState } from "react";
import type { UserDto } from "@/lib/users/dto";
import { WhoToFollowList } from "./who-to-follow-list";

/** Where app/styles/shell.css shows the right column. */
const WIDE = "(min-width: 1000px)";

export function WhoToFollowAside() {
  const [users, setUsers] = useState<UserDto[]>([]);
  useEffect(() => {
    const wide = window.matchMedia(WIDE);
    const controller = new AbortController();
    let asked = false;
    const load = () => {
      if (asked || !wide.matches) return;
      asked = true;
      fetch("/api/v1/suggestions?limit=5", { signal: controller.signal, headers: { accept: "application/json" } })
        .then((res) => (res.ok ? (res.json() as Promise<{ items: UserDto[] }>) : null))
        .then((body) => body && setUsers(body.items))
        // A side box: without suggestions the column shows the search box alone.
        .catch(() => {});
    };
    load();
    wide.addEventListener("change", load);
    return () => {
      wide.removeEventListener("change", load);
      controller.abort();
    };
  }, []);
  return <WhoToFollowList users={users} />;
}
