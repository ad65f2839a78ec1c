// How the notifications page groups what it has loaded, and what each line says.
import { describe, expect, it } from "vitest";
import { describeGroup, groupNotifications } from "@/components/notifications/group-notifications";
import type { NotificationDto } from "@/lib/notifications/queries";
import type { PostDto } from "@/lib/posts/dto";

const user = (name: string) => ({ id: name, username: name.toLowerCase(), displayName: name, avatarUrl: null });
const post = (id: string) => ({ id }) as PostDto;
let next = 100;
const n = (type: NotificationDto["type"], actor: string, postId: string | null, read = true): NotificationDto => ({
  id: String(next--),
  type,
  createdAt: new Date(next * 1000).toISOString(),
  actor: user(actor),
  post: postId ? post(postId) : null,
  read,
});

describe("groupNotifications", () => {
  it("groups consecutive items of the same type and post, follows included, and nothing else", () => {
    const items = [
      n("like", "Ana", "1", false),
      n("like", "Bob", "1"),
      n("like", "Cy", "1"),
      n("like", "Dee", "1"),
      n("like", "Eve", "2"),
      n("follow", "Fay", null),
      n("follow", "Gus", null),
      n("repost", "Hal", "1"),
      n("like", "Ivy", "1"),
      n("reply", "Jo", "3"),
      n("mention", "Kit", "4"),
    ];
    const groups = groupNotifications(items);
    expect(groups.map((g) => [g.type, g.post?.id ?? null, g.actors.map((a) => a.displayName).join(","), g.unread])).toEqual([
      ["like", "1", "Ana,Bob,Cy,Dee", true],
      ["like", "2", "Eve", false],
      ["follow", null, "Fay,Gus", false],
      ["repost", "1", "Hal", false],
      ["like", "1", "Ivy", false],
      ["reply", "3", "Jo", false],
      ["mention", "4", "Kit", false],
    ]);
    expect(groups[0]!.key).toBe(items[0]!.id);
    expect(groups[0]!.createdAt).toBe(items[0]!.createdAt);
  });

  it("says it the way people expect", () => {
    const say = (type: NotificationDto["type"], ...names: string[]) => {
      const { names: who, verb } = describeGroup({ type, actors: names.map(user) });
      return `${who} ${verb}`;
    };
    expect(say("like", "Ana", "Bob", "Cy", "Dee")).toBe("Ana and 3 others liked your post");
    expect(say("repost", "Ana", "Bob")).toBe("Ana and Bob reposted your post");
    expect(say("follow", "Ana")).toBe("Ana followed you");
    expect(say("reply", "Ana")).toBe("Ana replied to your post");
    expect(say("mention", "Ana")).toBe("Ana mentioned you");
  });
});
