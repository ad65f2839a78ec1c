"use client";
// A post's images (the contract's Media[]): one is shown whole, as wide as the post, at its
// own aspect ratio (very tall ones are cut short); two to four sit in a two-column grid of
// thumbnails. Each is a link to the full-size image, so it opens without JavaScript too;
// with it, a click opens the image in a lightbox (<dialog>: Escape, the close button or a
// click beside the image closes it, and the focus returns to the thumbnail).
import { useRef, useState, type MouseEvent } from "react";
import type { MediaDto } from "@/lib/posts/dto";
import { CloseIcon } from "@/components/ui/icons";

/** The thumbnail's width, about (what the upload pipeline makes; only a hint for srcset). */
const THUMBNAIL_WIDTH = 600;

export function PostMedia({ media }: { media: MediaDto[] }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [shown, setShown] = useState<MediaDto | null>(null);
  if (media.length === 0) return null;
  const items = media.slice(0, 4);
  const single = items.length === 1;

  function open(event: MouseEvent<HTMLAnchorElement>, item: MediaDto) {
    // A new tab or window, as asked.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setShown(item);
    dialog.current?.showModal();
  }

  return (
    <>
      <div className={`post-media post-media-${items.length}`}>
        {items.map((item, i) => (
          <a
            key={item.id}
            href={item.url}
            className="post-media-item"
            onClick={(event) => open(event, item)}
            aria-label={describe(item, i, items.length)}
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- already resized by the upload pipeline */}
            <img
              src={item.thumbnailUrl}
              srcSet={single ? `${item.thumbnailUrl} ${Math.min(THUMBNAIL_WIDTH, item.width)}w, ${item.url} ${item.width}w` : undefined}
              sizes={single ? "(max-width: 639px) 100vw, 560px" : undefined}
              alt={item.altText}
              width={item.width}
              height={item.height}
              loading="lazy"
              decoding="async"
            />
          </a>
        ))}
      </div>
      <dialog
        ref={dialog}
        className="lightbox"
        aria-label={shown?.altText || "Image"}
        onClose={() => setShown(null)}
        // A click on the backdrop lands on the dialog itself; one on the image does not.
        onClick={(event) => event.target === event.currentTarget && dialog.current?.close()}
      >
        {shown && (
          <>
            {/* eslint-disable-next-line @next/next/no-img-element -- the full-size upload */}
            <img src={shown.url} alt={shown.altText} width={shown.width} height={shown.height} />
            {shown.altText && <p className="lightbox-alt">{shown.altText}</p>}
          </>
        )}
        <button type="button" className="lightbox-close" onClick={() => dialog.current?.close()} aria-label="Close image" autoFocus>
          <CloseIcon />
        </button>
      </dialog>
    </>
  );
}

/** The link's name: the image's own description, and that it opens full size. */
function describe(item: MediaDto, index: number, count: number): string {
  const which = count > 1 ? `Image ${index + 1} of ${count}` : "Image";
  return item.altText ? `${which}: ${item.altText} (open full size)` : `${which} (open full size)`;
}
