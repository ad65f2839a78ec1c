// The operations a member performs through /api/v1, each noting what the app
// acknowledged in the ledger. Every request is recorded by the client's current recorder.
import { call, logIn, type Client } from "./http";
import type { Ledger } from "./ledger";
import type { Rng } from "./rng";

export interface Member {
  id: string;
  username: string;
  email: string;
  cookie: string;
}

export const PASSWORD = "faults-password";

/** Registers and logs in one member; throws when the app cannot (the suite then stops). */
export async function createMember(client: Client, username: string): Promise<Member> {
  const email = `${username}@faults.test`;
  const res = await call(client, { kind: "register", method: "POST", path: "/api/v1/accounts", json: { username, email, password: PASSWORD } });
  if (res.outcome !== 201) throw new Error(`registering ${username} answered ${res.outcome}: ${JSON.stringify(res.body)}`);
  const { id } = res.body as { id: string };
  return { id, username, email, cookie: await logIn(client, email, PASSWORD) };
}

let postCounter = 0;

export async function post(client: Client, ledger: Ledger, member: Member): Promise<string | undefined> {
  const content = `${member.username} says #${++postCounter} at ${new Date().toISOString()}`;
  const res = await call(client, { kind: "post", method: "POST", path: "/api/v1/posts", cookie: member.cookie, json: { content } });
  if (res.outcome !== 201) return undefined;
  const { id } = res.body as { id: string };
  ledger.notePost(id, member.id);
  return id;
}

export async function deleteOwnPost(client: Client, ledger: Ledger, rng: Rng, member: Member): Promise<void> {
  const id = rng.pick(ledger.livePosts(member.id));
  if (!id) return void (await post(client, ledger, member));
  const res = await call(client, { kind: "delete", method: "DELETE", path: `/api/v1/posts/${id}`, cookie: member.cookie });
  ledger.noteDelete(id, res.outcome);
}

export async function follow(client: Client, ledger: Ledger, member: Member, target: Member): Promise<void> {
  const res = await call(client, { kind: "follow", method: "POST", path: `/api/v1/users/${target.username}/follow`, cookie: member.cookie });
  ledger.noteFollow(member.id, target.id, true, res.outcome);
}

export async function unfollow(client: Client, ledger: Ledger, member: Member, target: Member): Promise<void> {
  const res = await call(client, { kind: "unfollow", method: "DELETE", path: `/api/v1/users/${target.username}/follow`, cookie: member.cookie });
  ledger.noteFollow(member.id, target.id, false, res.outcome);
}

export async function like(client: Client, ledger: Ledger, rng: Rng, member: Member): Promise<void> {
  const id = rng.pick(ledger.livePosts());
  if (!id) return;
  const res = await call(client, { kind: "like", method: "POST", path: `/api/v1/posts/${id}/like`, cookie: member.cookie });
  if (res.outcome === 200) ledger.noteLike(member.id, id);
}

/** The first page of the home feed, and with some chance the next ones, as a reader scrolls. */
export async function readFeed(client: Client, rng: Rng, member: Member, maxPages = 3): Promise<void> {
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const query: string = cursor ? `?limit=20&cursor=${encodeURIComponent(cursor)}` : "?limit=20";
    const res = await call(client, { kind: "feed", path: `/api/v1/feed${query}`, cookie: member.cookie });
    if (res.outcome !== 200) return;
    cursor = (res.body as { nextCursor: string | null }).nextCursor;
    if (!cursor || rng.next() < 0.6) return;
  }
}

/** A random follow or unfollow by `member`, kept within the group. */
export async function changeFollow(client: Client, ledger: Ledger, rng: Rng, member: Member, members: readonly Member[]): Promise<void> {
  const followees = new Set(ledger.followees(member.id));
  const byId = new Map(members.map((m) => [m.id, m]));
  if (followees.size > 0 && rng.next() < 0.35) {
    await unfollow(client, ledger, member, byId.get(rng.pick([...followees])!)!);
    return;
  }
  const target = rng.pick(members.filter((m) => m.id !== member.id && !followees.has(m.id)));
  if (target) await follow(client, ledger, member, target);
}
