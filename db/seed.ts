// A small, believable demo world: a few hundred people with a skewed follow graph, two
// very popular accounts (flagged superstars), posts spread over the last month, likes. Deterministic (seeded
// PRNG), written with multi-row inserts; counters are computed in SQL at the end.
import { sql } from "drizzle-orm";
import type { Database } from "./index";
import { follows, likes, posts, users, type NewPost } from "./schema";

export const DEMO_LOGIN = { email: "demo@starling.test", password: "starling-demo" } as const;

const FIRST = ["ada", "alan", "grace", "linus", "barbara", "ken", "margaret", "dennis", "radia", "tim", "frances", "edsger", "katherine", "donald", "hedy", "john", "lynn", "guido", "sophie", "yukihiro", "annie", "niklaus", "karen", "bjarne", "mary", "james", "shafi", "leslie", "joan", "vint"];
const LAST = ["lovelace", "turing", "hopper", "torvalds", "liskov", "thompson", "hamilton", "ritchie", "perlman", "lee", "allen", "dijkstra", "johnson", "knuth", "lamarr", "backus", "conway", "rossum", "wilson", "matsumoto", "easley", "wirth", "jones", "stroustrup", "shaw", "gosling", "goldwasser", "lamport", "clarke", "cerf"];
const TOPICS = ["coffee", "the bus ride", "my garden", "a new keyboard", "the weekend hike", "rain again", "this book", "a tiny bug", "the city at night", "fresh bread", "the conference", "my cat", "a long run", "street food", "the new release"];
const TEMPLATES = [
  "Thinking about {t} today.",
  "Honestly, {t} made my morning ☕",
  "Hot take: {t} is underrated.",
  "Spent the afternoon on {t}. Worth it.",
  "Does anyone else have opinions on {t}?",
  "Small joys: {t} 🌱",
  "Three words: {t}. That's the post.",
  "Note to self — remember {t} next time.",
];

type Rng = () => number;
function mulberry32(seed: number): Rng {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

export interface SeedSummary {
  users: number;
  follows: number;
  posts: number;
  likes: number;
}

export async function seedDemoWorld(db: Database, opts: { passwordHash: string; userCount?: number; seed?: number; now?: Date }): Promise<SeedSummary> {
  const rng = mulberry32(opts.seed ?? 42);
  const now = opts.now ?? new Date();
  const day = 86_400_000;
  const count = opts.userCount ?? 300;

  // People: the demo account, two very popular accounts, then everyone else.
  const people = [
    { username: "demo", displayName: "Demo User", email: DEMO_LOGIN.email, bio: "Kicking the tyres of Starling." },
    // Flagged as superstars, so the demo feed shows both halves of the hybrid model.
    { username: "starling_news", displayName: "Starling News", email: "news@starling.test", bio: "What's new on Starling. Followed by nearly everyone.", isSuperstar: true },
    { username: "ada", displayName: "Ada", email: "ada@starling.test", bio: "Poet of numbers. Very popular, apparently.", isSuperstar: true },
  ];
  const taken = new Set(people.map((p) => p.username));
  while (people.length < count) {
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    let username = `${first}_${last}`;
    for (let n = 2; taken.has(username); n++) username = `${first}_${last}${n}`;
    taken.add(username);
    const name = `${first[0]!.toUpperCase()}${first.slice(1)} ${last[0]!.toUpperCase()}${last.slice(1)}`;
    people.push({ username, displayName: name, email: `${username}@starling.test`, bio: `Mostly posts about ${pick(rng, TOPICS)}.`, isSuperstar: false });
  }

  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values(
        people.map((p) => ({
          ...p,
          passwordHash: opts.passwordHash,
          createdAt: new Date(now.getTime() - (40 + rng() * 20) * day),
          lastActiveAt: rng() < 0.7 ? new Date(now.getTime() - rng() * 14 * day) : null,
        })),
      )
      .returning({ id: users.id });
    const ids = inserted.map((u) => u.id);

    // Follows: preferential attachment by rank (Zipf-like), plus the two popular accounts.
    const pairs = new Set<string>();
    const addFollow = (a: number, b: number) => a !== b && pairs.add(`${ids[a]}:${ids[b]}`);
    for (let i = 0; i < ids.length; i++) {
      if (rng() < 0.92) addFollow(i, 1);
      if (rng() < 0.85) addFollow(i, 2);
      const k = i === 0 ? 40 : Math.floor(3 + Math.pow(rng(), 2) * 50);
      for (let j = 0; j < k; j++) addFollow(i, Math.min(ids.length - 1, Math.floor(Math.pow(rng(), 2.5) * ids.length)));
    }
    const followRows = [...pairs].map((p) => {
      const [followerId, followeeId] = p.split(":") as [string, string];
      return { followerId, followeeId, createdAt: new Date(now.getTime() - rng() * 30 * day) };
    });
    for (let i = 0; i < followRows.length; i += 2000) await tx.insert(follows).values(followRows.slice(i, i + 2000));

    // Posts over the last 30 days; popular accounts and active people post more.
    const postRows: NewPost[] = [];
    ids.forEach((authorId, i) => {
      const n = i === 1 || i === 2 ? 60 : Math.floor(Math.pow(rng(), 2) * 25);
      for (let j = 0; j < n; j++) {
        const content = pick(rng, TEMPLATES).replace("{t}", pick(rng, TOPICS));
        postRows.push({ authorId, content, createdAt: new Date(now.getTime() - rng() * 30 * day) });
      }
    });
    postRows.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime()); // ids follow time
    const postIds: string[] = [];
    for (let i = 0; i < postRows.length; i += 2000) {
      const batch = await tx.insert(posts).values(postRows.slice(i, i + 2000)).returning({ id: posts.id });
      postIds.push(...batch.map((p) => p.id));
    }

    // Likes, skewed towards newer posts.
    const likePairs = new Set<string>();
    for (let n = 0; n < postIds.length * 3; n++) {
      const post = postIds[Math.min(postIds.length - 1, Math.floor(Math.pow(rng(), 0.5) * postIds.length))]!;
      likePairs.add(`${pick(rng, ids)}:${post}`);
    }
    const likeRows = [...likePairs].map((p) => {
      const [userId, postId] = p.split(":") as [string, string];
      return { userId, postId };
    });
    for (let i = 0; i < likeRows.length; i += 2000) await tx.insert(likes).values(likeRows.slice(i, i + 2000));

    // Denormalised counters, computed once from the rows themselves.
    await tx.execute(sql`
      update users u set
        followers_count = (select count(*) from follows f where f.followee_id = u.id),
        following_count = (select count(*) from follows f where f.follower_id = u.id),
        posts_count = (select count(*) from posts p where p.author_id = u.id and p.deleted_at is null)`);
    await tx.execute(sql`
      update posts p set like_count = l.n
      from (select post_id, count(*) as n from likes group by post_id) l where l.post_id = p.id`);

    return { users: ids.length, follows: followRows.length, posts: postIds.length, likes: likeRows.length };
  });
}
