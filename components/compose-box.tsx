"use client";
// Writing a post, with a live counter of characters as a person counts them (graphemes,
// the same function the server uses). Past the limit the counter turns red and the
// button is disabled; the server checks again and its message shows here too.
import Link from "next/link";
import { useActionState, useState } from "react";
import { createPostAction, type ComposeState } from "@/app/actions/posts";
import { countCharacters, POST_MAX_LENGTH } from "@/lib/validation";

export function ComposeBox() {
  const [content, setContent] = useState("");
  const [state, formAction, pending] = useActionState(async (prev: ComposeState, formData: FormData) => {
    const result = await createPostAction(prev, formData);
    if (result.ok) setContent("");
    return result;
  }, {});

  const count = countCharacters(content);
  const over = count > POST_MAX_LENGTH;
  const blank = content.trim() === "";
  const problem = state.fields?.content ?? state.error;

  return (
    <form action={formAction} className="card compose">
      <label htmlFor="compose-content" className="compose-label">
        New post
      </label>
      <textarea
        id="compose-content"
        name="content"
        rows={3}
        placeholder="What’s happening?"
        value={content}
        onChange={(e) => setContent(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey) && !over && !blank && !pending) e.currentTarget.form?.requestSubmit();
        }}
        aria-invalid={over || Boolean(problem) || undefined}
        aria-describedby="compose-counter compose-problem"
      />
      <div className="compose-footer">
        <span id="compose-counter" className={over ? "counter over" : "counter"}>
          {count}/{POST_MAX_LENGTH}
          {over && <span className="visually-hidden"> — {count - POST_MAX_LENGTH} over the limit</span>}
        </span>
        <button type="submit" className="button" disabled={pending || over || blank}>
          {pending ? "Posting…" : "Post"}
        </button>
      </div>
      <div id="compose-problem" aria-live="polite">
        {problem && !pending && <p className="form-error">{problem}</p>}
        {state.ok && state.postId && !pending && (
          <p className="form-success">
            Posted. <Link href={`/p/${state.postId}`}>View your post</Link>
          </p>
        )}
      </div>
    </form>
  );
}
