// DATABASE_READ_URL without a real replica: the read pool points at a *stale copy* of the
// primary (`create database … template …`, made before the writes below), so a read that
// goes to the read pool returns the copy's data and a read that must not cannot hide it.
// (a) the staleness-tolerant reads answer from the copy; (b) every read that shows the
// caller their own write still shows it. This file owns its two databases: a template
// needs nobody connected to it, and the run's shared database always has someone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { closeDb, getSql } from "@/db";
import type { User } from "@/db/schema";
import { migrateDatabase } from "@/db/migrate";
import { resetEnvCache } from "@/lib/env";
import { getHomeFeed } from "@/lib/feed/home-feed";
import { deleteTimeline, timelineRef } from "@/lib/feed/timeline-store";
import { loadList } from "@/lib/feed/truth";
import { followUser } from "@/lib/follows/follow";
import { listFollowers } from "@/lib/follows/lists";
import { getSuggestions } from "@/lib/people/suggestions";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import type { PostDto } from "@/lib/posts/dto";
import { listUserPosts } from "@/lib/posts/queries";
import { getContext, listReplies } from "@/lib/posts/thread";
import { likePost } from "@/lib/reactions/likes";
import { searchPosts } from "@/lib/search/posts";
import { searchUsers } from "@/lib/search/users";
import { getPublicTimeline } from "@/lib/timelines/public";
import { getMe, getUserByUsername, updateProfile } from "@/lib/users/profile";
import { registerUser } from "@/lib/users/register";
import { makeUser, suffix, uniqueIp, uniqueName } from "../support/fixtures";

const sharedUrl = process.env.DATABASE_URL!;
const dbUrl = (name: string) => Object.assign(new URL(sharedUrl), { pathname: `/${name}` }).toString();
const tag = suffix();
const primaryName = `${new URL(sharedUrl).pathname.slice(1)}_p_${tag}`;
const copyName = `${new URL(sharedUrl).pathname.slice(1)}_r_${tag}`;
const admin = postgres(dbUrl("postgres"), { max: 1, onnotice: () => {} });

let alice: User, bob: User, carol: User;
let oldPosts: PostDto[];
let fresh: PostDto, reply: PostDto;
const word = `zq${suffix()}`; // a word only the fresh post has

function useEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetEnvCache();
}

/** A template copy needs the primary without connections: the app's pools are closed first (retried while anything lingers). */
async function copyPrimary(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await closeDb();
    try {
      await admin.unsafe(`create database "${copyName}" template "${primaryName}"`);
      return;
    } catch (error) {
      if (attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

beforeAll(async () => {
  await admin.unsafe(`create database "${primaryName}"`);
  await migrateDatabase(dbUrl(primaryName));
  await closeDb();
  useEnv({ DATABASE_URL: dbUrl(primaryName), RATE_LIMIT_MULTIPLIER: "1000" });

  // The world the copy will have.
  [alice, bob, carol] = await Promise.all([makeUser({ username: uniqueName("alice") }), makeUser({ username: uniqueName("bob"), bio: "old bio" }), makeUser({ username: uniqueName("carol") })]);
  await followUser({ followerId: alice.id, username: bob.username });
  oldPosts = [];
  for (let i = 0; i < 4; i++) oldPosts.push(await createPost({ authorId: bob.id, content: `old post ${i}` }));

  await copyPrimary();
  useEnv({ DATABASE_READ_URL: dbUrl(copyName) });

  // What happens after the copy: only the primary has it.
  fresh = await createPost({ authorId: bob.id, content: `fresh post ${word}` });
  reply = await createPost({ authorId: alice.id, content: "a reply after the copy", replyToId: oldPosts[0]!.id });
  await updateProfile({ userId: bob.id, bio: "new bio" });
  await followUser({ followerId: carol.id, username: bob.username });
  await likePost({ userId: alice.id, postId: oldPosts[1]!.id });
  await deletePost({ postId: oldPosts[2]!.id, userId: bob.id });
}, 60_000);

afterAll(async () => {
  await closeDb();
  try {
    for (const name of [primaryName, copyName]) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
});

const ids = (items: ReadonlyArray<{ id: string }>) => items.map((i) => i.id);

describe("with DATABASE_READ_URL on a stale copy", () => {
  it("the copy really is stale: the primary has the writes it lacks", async () => {
    const [row] = await getSql()<[{ n: number }]>`select count(*)::int as n from posts where author_id = ${bob.id} and deleted_at is null`;
    expect(row!.n).toBe(4); // 4 old, one deleted, one fresh
    const copy = postgres(dbUrl(copyName), { max: 1 });
    try {
      const [c] = await copy<[{ n: number }]>`select count(*)::int as n from posts where author_id = ${bob.id} and deleted_at is null`;
      expect(c!.n).toBe(4); // the 4 old ones, none deleted
      expect(await copy`select 1 from posts where id = ${fresh.id}`).toHaveLength(0);
    } finally {
      await copy.end();
    }
  });

  describe("(a) the staleness-tolerant reads answer from the read pool", () => {
    it("someone else's profile and posts page", async () => {
      const profile = await getUserByUsername({ username: bob.username, viewerId: alice.id });
      expect(profile.bio).toBe("old bio");
      expect(profile.postsCount).toBe(4);
      const page = await listUserPosts({ username: bob.username, limit: 20, viewerId: alice.id });
      expect(ids(page.items)).toEqual(ids([...oldPosts].reverse())); // no fresh post, the deleted one still there
      const anonymous = await listUserPosts({ username: bob.username, limit: 20, viewerId: null });
      expect(ids(anonymous.items)).not.toContain(fresh.id);
    });

    it("followers lists, search, suggestions, the public timeline, a thread's replies", async () => {
      expect(ids((await listFollowers({ username: bob.username, limit: 20, viewerId: null })).items)).toEqual([alice.id]);
      expect((await searchPosts({ q: word, limit: 20, viewerId: alice.id })).items).toEqual([]);
      const public_ = await getPublicTimeline({ viewerId: null, limit: 50 });
      expect(ids(public_.items)).not.toContain(fresh.id);
      expect(ids(public_.items)).toContain(oldPosts[2]!.id);
      // Carol follows bob on the primary only: the copy still suggests him.
      expect(ids(await getSuggestions({ viewerId: carol.id, limit: 10 }))).toContain(bob.id);
      expect((await listReplies({ postId: oldPosts[0]!.id, viewerId: null, limit: 20 })).items).toEqual([]);
      // The reply itself is found (its visibility check is on the primary), its chain walk is the copy's.
      expect((await getContext({ postId: reply.id, viewerId: alice.id })).ancestors).toEqual([]);
      // A user search answers from the copy: carol's follow is not counted there.
      const [found] = (await searchUsers({ q: bob.username, limit: 5, viewerId: null })).items;
      expect(found?.followersCount).toBe(1);
    });

    it("a feed list's continuation past a cached tail reads the copy", async () => {
      const below = { t: Date.parse(oldPosts[3]!.createdAt), id: oldPosts[3]!.id };
      // The deleted post is alive in the copy; hydration (on the primary) drops it from pages.
      expect(ids(await loadList(timelineRef(alice.id), below, 10))).toContain(oldPosts[2]!.id);
    });
  });

  describe("(b) a caller's own writes are never hidden", () => {
    it("a new account sees itself (getMe), and is found by handle", async () => {
      const username = uniqueName("dave");
      const dave = await registerUser({ username, email: `${username}@example.com`, password: "correct horse battery" }, { ip: uniqueIp() });
      const me = await getMe({ id: dave.id, username, email: `${username}@example.com`, isAdmin: false });
      expect(me.username).toBe(username);
      expect((await getUserByUsername({ username, viewerId: dave.id })).id).toBe(dave.id);
      // A 404 from the copy is confirmed on the primary.
      expect((await getUserByUsername({ username, viewerId: alice.id })).id).toBe(dave.id);
    });

    it("the author's own profile and posts page show the post and bio just written", async () => {
      const profile = await getUserByUsername({ username: bob.username, viewerId: bob.id });
      expect(profile.bio).toBe("new bio");
      expect(profile.postsCount).toBe(4);
      const page = await listUserPosts({ username: bob.username, limit: 20, viewerId: bob.id });
      expect(page.items[0]!.id).toBe(fresh.id);
      expect(ids(page.items)).not.toContain(oldPosts[2]!.id);
    });

    it("the author's own home feed has the post at once, even when the timeline is rebuilt", async () => {
      expect(ids((await getHomeFeed({ viewerId: bob.id, limit: 10 })).items)[0]).toBe(fresh.id);
      // A rebuild from the top cannot trust a copy that does not prove it caught up: the primary answers.
      await deleteTimeline(bob.id);
      const rebuilt = ids((await getHomeFeed({ viewerId: bob.id, limit: 10 })).items);
      expect(rebuilt[0]).toBe(fresh.id);
      expect(rebuilt).not.toContain(oldPosts[2]!.id);
      await deleteTimeline(alice.id);
      const alices = ids((await getHomeFeed({ viewerId: alice.id, limit: 10 })).items);
      expect(alices.slice(0, 2)).toEqual([reply.id, fresh.id]);
    });

    it("likedByMe and followedByMe follow the viewer's own toggle, on pages read from the copy", async () => {
      const page = await listUserPosts({ username: bob.username, limit: 20, viewerId: alice.id });
      const liked = page.items.find((p) => p.id === oldPosts[1]!.id)!;
      expect(liked.likedByMe).toBe(true);
      expect(liked.likeCount).toBe(0); // the count is the copy's: staleness-tolerant
      expect((await getPublicTimeline({ viewerId: alice.id, limit: 50 })).items.find((p) => p.id === oldPosts[1]!.id)?.likedByMe).toBe(true);
      expect((await getUserByUsername({ username: bob.username, viewerId: carol.id })).followedByMe).toBe(true);
    });
  });
});
