"use client";
// Writing a post or a reply, with a live counter of characters as a person counts them
// (graphemes, the same function the server uses). Past the limit the counter turns red and
// the button is disabled; the server checks again and its message shows here too.
// A post (not a reply) can carry up to 4 images with alt text: they are uploaded to
// POST /api/v1/media when the post is sent (so the alt text typed goes with them), then the
// post is created with their ids. An upload kept from a failed attempt is reused.
import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import { createPostAction, type ComposeState } from "@/app/actions/posts";
import { checkFile, sendUpload } from "@/lib/media/client-upload";
import type { MediaDto } from "@/lib/media/dto";
import { ACCEPTED_TYPES, ALT_TEXT_MAX_LENGTH, MAX_MEDIA_PER_POST, MEDIA_MAX_BYTES } from "@/lib/media/limits";
import { countCharacters, POST_MAX_LENGTH } from "@/lib/validation";
import styles from "./compose-box.module.css";
import picker from "@/components/ui/file-picker.module.css";

interface Props {
  /** Makes it a reply box: the post it answers. */
  replyToId?: string;
  label?: string;
  placeholder?: string;
  submitLabel?: string;
}

interface Attachment {
  key: number;
  file: File;
  preview: string;
  alt: string;
  /** Set once uploaded, with the alt text it was uploaded with. */
  uploaded?: { media: MediaDto; alt: string };
}

export function ComposeBox({ replyToId, label = "New post", placeholder = "What’s happening?", submitLabel = "Post" }: Props) {
  const [content, setContent] = useState("");
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [pickProblem, setPickProblem] = useState<string | null>(null);
  const nextKey = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  // The action reads the list as it is when the form is sent (its closure may be older).
  const latest = useRef(attachments);
  useEffect(() => {
    latest.current = attachments;
  }, [attachments]);
  // Object URLs hold the file in memory until revoked.
  useEffect(() => () => latest.current.forEach((a) => URL.revokeObjectURL(a.preview)), []);

  const [state, formAction, pending] = useActionState(async (prev: ComposeState, formData: FormData): Promise<ComposeState> => {
    const ids: string[] = [];
    const current = latest.current;
    for (const [i, attachment] of current.entries()) {
      const alt = attachment.alt.trim();
      if (attachment.uploaded && attachment.uploaded.alt === alt) {
        ids.push(attachment.uploaded.media.id);
        continue;
      }
      const result = await sendUpload<MediaDto>({ url: "/api/v1/media", method: "POST", file: attachment.file, fields: { altText: alt } });
      if (!result.ok) return { error: current.length > 1 ? `Image ${i + 1}: ${result.error}` : result.error };
      const uploaded = { media: result.data, alt };
      setAttachments((list) => list.map((a) => (a.key === attachment.key ? { ...a, uploaded } : a)));
      ids.push(result.data.id);
    }
    formData.set("mediaIds", ids.join(","));
    const result = await createPostAction(prev, formData);
    if (result.ok) {
      setContent("");
      current.forEach((a) => URL.revokeObjectURL(a.preview));
      setAttachments([]);
    }
    return result;
  }, {});
  // One compose box and at most one reply box per page: fixed ids the e2e page objects use.
  const prefix = replyToId ? "reply" : "compose";
  const [contentId, counterId, problemId, filesId] = [`${prefix}-content`, `${prefix}-counter`, `${prefix}-problem`, `${prefix}-files`];

  const count = countCharacters(content);
  const over = count > POST_MAX_LENGTH;
  const blank = content.trim() === "" && attachments.length === 0;
  const problem = pickProblem ?? state.fields?.content ?? state.fields?.mediaIds ?? mediaFieldProblem(state.fields) ?? state.fields?.replyToId ?? state.error;

  function pick(files: FileList | null) {
    if (!files) return;
    const room = MAX_MEDIA_PER_POST - attachments.length;
    const chosen = [...files];
    const refused = chosen.map((f) => checkFile(f, MEDIA_MAX_BYTES)).find(Boolean);
    const good = chosen.filter((f) => !checkFile(f, MEDIA_MAX_BYTES));
    setPickProblem(refused ?? (good.length > room ? `A post can have at most ${MAX_MEDIA_PER_POST} images.` : null));
    const added = good.slice(0, room).map((file) => ({ key: nextKey.current++, file, preview: URL.createObjectURL(file), alt: "" }));
    setAttachments((list) => [...list, ...added]);
    if (fileInput.current) fileInput.current.value = "";
  }

  function remove(key: number) {
    setAttachments((list) => {
      const gone = list.find((a) => a.key === key);
      if (gone) URL.revokeObjectURL(gone.preview);
      return list.filter((a) => a.key !== key);
    });
    setPickProblem(null);
  }

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
      {attachments.length > 0 && (
        <ul className={styles.attachments} aria-label="Images to post">
          {attachments.map((a, i) => (
            <li key={a.key} className={styles.attachment}>
              {/* eslint-disable-next-line @next/next/no-img-element -- a local blob: preview, not a served image */}
              <img src={a.preview} alt="" className={styles.preview} />
              <label className={styles.altLabel} htmlFor={`${prefix}-alt-${a.key}`}>
                Alt text for image {i + 1}
              </label>
              <input
                id={`${prefix}-alt-${a.key}`}
                className={styles.altInput}
                value={a.alt}
                maxLength={ALT_TEXT_MAX_LENGTH}
                placeholder="Describe the image"
                disabled={pending}
                onChange={(e) => setAttachments((list) => list.map((x) => (x.key === a.key ? { ...x, alt: e.target.value } : x)))}
              />
              <button type="button" className="button secondary small" onClick={() => remove(a.key)} disabled={pending}>
                Remove<span className="visually-hidden"> image {i + 1}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="compose-footer">
        {!replyToId && (
          <span className={styles.pick}>
            <input
              ref={fileInput}
              id={filesId}
              type="file"
              accept={ACCEPTED_TYPES}
              multiple
              className={picker.fileInput}
              disabled={pending || attachments.length >= MAX_MEDIA_PER_POST}
              onChange={(e) => pick(e.target.files)}
            />
            <label htmlFor={filesId} className={`button secondary small ${picker.pickLabel}`} aria-disabled={attachments.length >= MAX_MEDIA_PER_POST || undefined}>
              Add images
            </label>
            <span className="visually-hidden"> (up to {MAX_MEDIA_PER_POST}, PNG, JPEG, WebP or GIF, 10 MB each)</span>
          </span>
        )}
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

/** The server's word on one of the images (`mediaIds.N`), as a sentence. */
function mediaFieldProblem(fields: Record<string, string> | undefined): string | undefined {
  const entry = Object.entries(fields ?? {}).find(([key]) => key.startsWith("mediaIds."));
  return entry ? `Image ${Number(entry[0].split(".")[1]) + 1}: ${entry[1]}` : undefined;
}
