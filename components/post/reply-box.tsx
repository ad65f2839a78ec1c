// The reply box under a post on its page: the compose box, answering that post. `#reply`
// (the reply links of post cards) scrolls here.
import { ComposeBox } from "@/components/post/compose-box";

export function ReplyBox({ postId, authorUsername }: { postId: string; authorUsername: string }) {
  return (
    <div id="reply" className="reply-box-anchor">
      <ComposeBox replyToId={postId} label="Your reply" placeholder={`Reply to @${authorUsername}`} submitLabel="Reply" />
    </div>
  );
}
