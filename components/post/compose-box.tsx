"use client";
// Writing a post or a reply, with a live counter of characters as a person counts them
// (graphemes, the same function the server uses). Past the limit the counter turns red and
// the button is disabled; the server checks again and its message shows here too.
import Link from "next/link";
import { useActionState, useState } from "react";
import { createPostAction, type ComposeState } from "@/app/actions/posts";
import { countCharacters, POST_MAX_LENGTH } from "@/lib/validation";

interface Props {
  /** Makes it a reply box: the post it answers. */
  replyToId?: string;
  label?: string;
  placeholder?: string;
  submitLabel?: string;
}

export function ComposeBox({ replyToId, label = "New post", placeholder = "What’s happening?", submitLabel = "Post" }: Props) {
  const [content, setContent] = useState("");
  const [state, formAction, pending] = useActionState(async (prev: ComposeState, formData: FormData) => {
    const result = await createPostAction(prev, formData);
    if (result.ok) setContent("");
    return result;
  }, {});
  // One compose box and at most one reply box per page: fixed ids the e2e page objects use.
  const prefix = replyToId ? "reply" : "compose";
  const [contentId, counterId, problemId] = [`${prefix}-content`, `${prefix}-counter`, `${prefix}-problem`];

  const count = countCharacters(content);
  const over = count > POST_MAX_LENGTH;
  const blank = content.trim() === "";
  const problem = state.fields?.content ?? state.fields?.replyToId ?? state.error;

  return (
    <form action={formAction} className={replyToId ? "card compose reply-box" : "card compose"}>
      <label htmlFor={contentId} className="compose-label">
        {label}
      </label>
      {replyToId && <input type="hidden" name="replyToId" value={replyToId} />}
      <textarea
        id={contentId}
        name="content"
        rows={3}
        placeholder={placeholder}
        value={content}
        onChange={(e) => setContent(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey) && !over && !blank && !pending) e.currentTarget.form?.requestSubmit();
        }}
        aria-invalid={over || Boolean(problem) || undefined}
        aria-describedby={`${counterId} ${problemId}`}
      />
      <div className="compose-footer">
        <span id={counterId} className={over ? "counter over" : "counter"}>
          {count}/{POST_MAX_LENGTH}
          {over && <span className="visually-hidden"> — {count - POST_MAX_LENGTH} over the limit</span>}
        </span>
        <button type="submit" className="button" disabled={pending || over || blank}>
          {pending ? (replyToId ? "Replying…" : "Posting…") : submitLabel}
        </button>
      </div>
      <div id={problemId} aria-live="polite">
        {problem && !pending && <p className="form-error">{problem}</p>}
        {state.ok && state.postId && !pending && (
          <p className="form-success">
            {replyToId ? "Replied." : "Posted."} <Link href={`/p/${state.postId}`}>{replyToId ? "View your reply" : "View your post"}</Link>
          </p>
        )}
      </div>
    </form>
  );
}
