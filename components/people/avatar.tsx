// A person's face: their uploaded picture, or (none set) their initials on a colour chosen
// by a hash of the username, so one person has the same colour everywhere. No hooks, so it
// renders in server and client components alike.
//
// Usually decorative: the name is written beside it, so the image is alt="" and the fallback
// aria-hidden. Pass `label` where the avatar stands alone and must say whose it is.

/**
 * Fills under white initials, the same in both themes. White on each is at least 5.4:1
 * (WCAG AA for text is 4.5:1): #b42318 6.57, #b54708 5.43, #027a48 5.41, #0e7090 5.62,
 * #175cd3 5.99, #6941c6 6.62, #c11574 5.79, #475467 7.69.
 */
export const AVATAR_COLOURS = ["#b42318", "#b54708", "#027a48", "#0e7090", "#175cd3", "#6941c6", "#c11574", "#475467"] as const;

export interface AvatarUser {
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

interface Props {
  user: AvatarUser;
  /** The side in CSS pixels. */
  size?: number;
  /** The accessible name when no name is shown beside the avatar. */
  label?: string;
  className?: string;
  /** Above the fold (a profile header): load at once instead of lazily. */
  eager?: boolean;
}

export function Avatar({ user, size = 40, label, className, eager }: Props) {
  const classes = ["avatar", className].filter(Boolean).join(" ");
  if (user.avatarUrl) {
    return (
      // A plain <img>: the upload is already resized to its few sizes, and it is served from
      // our own origin or the object store with long cache headers.
      // eslint-disable-next-line @next/next/no-img-element
      <img
        src={user.avatarUrl}
        width={size}
        height={size}
        alt={label ?? ""}
        loading={eager ? "eager" : "lazy"}
        decoding="async"
        className={classes}
      />
    );
  }
  return (
    <span
      className={`${classes} avatar-fallback`}
      style={{ width: size, height: size, fontSize: Math.round(size * 0.4), backgroundColor: avatarColour(user.username) }}
      {...(label ? { role: "img", "aria-label": label } : { "aria-hidden": true })}
    >
      {initials(user)}
    </span>
  );
}

/** 1–2 letters: the first of the display name's first and last words, else of the username. */
export function initials({ displayName, username }: Pick<AvatarUser, "displayName" | "username">): string {
  const words = displayName
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+/u, ""))
    .filter(Boolean);
  const first = (word: string | undefined) => (word ? Array.from(word)[0]! : "");
  const letters = words.length > 1 ? first(words[0]) + first(words.at(-1)) : first(words[0]);
  return (letters || first(username) || "?").toLocaleUpperCase("en");
}

/** The same colour for the same username (case-insensitively), spread evenly over the palette. */
export function avatarColour(username: string): string {
  // FNV-1a: tiny, stable across runtimes, and well spread for short strings.
  let hash = 0x811c9dc5;
  for (const char of username.toLowerCase()) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return AVATAR_COLOURS[(hash >>> 0) % AVATAR_COLOURS.length]!;
}
