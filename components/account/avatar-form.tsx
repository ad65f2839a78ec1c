"use client";
// Settings → Avatar: a preview of the current face, a picker that uploads the chosen image
// to PUT /api/v1/me/avatar (centre-cropped and resized on the server), and a Remove button
// (DELETE). Sent with fetch rather than a server action: actions stop at 1 MB, avatars may
// be 5 MB. The page is refreshed after a change so every other avatar on it follows.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Avatar } from "@/components/people/avatar";
import { checkFile, send, sendUpload } from "@/lib/media/client-upload";
import { ACCEPTED_TYPES, AVATAR_MAX_BYTES, megabytes } from "@/lib/media/limits";
import styles from "./avatar-form.module.css";
import picker from "@/components/ui/file-picker.module.css";

interface Props {
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

type Status = { kind: "idle" } | { kind: "busy"; what: string } | { kind: "error"; message: string } | { kind: "done"; message: string };

export function AvatarForm({ username, displayName, avatarUrl: initial }: Props) {
  const router = useRouter();
  const [avatarUrl, setAvatarUrl] = useState(initial);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const input = useRef<HTMLInputElement>(null);
  const busy = status.kind === "busy";

  async function upload(file: File | undefined) {
    if (!file) return;
    const problem = checkFile(file, AVATAR_MAX_BYTES);
    if (problem) return setStatus({ kind: "error", message: problem });
    setStatus({ kind: "busy", what: "Uploading…" });
    const result = await sendUpload<{ avatarUrl: string | null }>({ url: "/api/v1/me/avatar", method: "PUT", file });
    if (input.current) input.current.value = "";
    if (!result.ok) return setStatus({ kind: "error", message: result.error });
    setAvatarUrl(result.data.avatarUrl);
    setStatus({ kind: "done", message: "Avatar updated." });
    router.refresh();
  }

  async function remove() {
    setStatus({ kind: "busy", what: "Removing…" });
    const result = await send<{ avatarUrl: null }>("/api/v1/me/avatar", { method: "DELETE" });
    if (!result.ok) return setStatus({ kind: "error", message: result.error });
    setAvatarUrl(null);
    setStatus({ kind: "done", message: "Avatar removed." });
    router.refresh();
  }

  return (
    <div className={styles.avatarForm}>
      <Avatar user={{ username, displayName, avatarUrl }} size={96} label={avatarUrl ? "Your avatar" : "Your avatar (initials: none uploaded)"} eager />
      <div className={styles.controls}>
        <p className="muted" id="avatar-hint">
          PNG, JPEG, WebP or GIF, up to {megabytes(AVATAR_MAX_BYTES)}. It is cropped to a square from the centre.
        </p>
        <div className={styles.buttons}>
          <input
            ref={input}
            id="avatar-file"
            type="file"
            accept={ACCEPTED_TYPES}
            className={picker.fileInput}
            aria-describedby="avatar-hint avatar-status"
            disabled={busy}
            onChange={(e) => void upload(e.target.files?.[0])}
          />
          <label htmlFor="avatar-file" className={`button small ${picker.pickLabel}`}>
            {avatarUrl ? "Upload a new avatar" : "Upload an avatar"}
          </label>
          {avatarUrl && (
            <button type="button" className="button secondary small" onClick={() => void remove()} disabled={busy}>
              Remove avatar
            </button>
          )}
        </div>
        <div id="avatar-status" aria-live="polite">
          {status.kind === "busy" && <p className="muted">{status.what}</p>}
          {status.kind === "error" && <p className="form-error">{status.message}</p>}
          {status.kind === "done" && <p className="form-success">{status.message}</p>}
        </div>
      </div>
    </div>
  );
}
