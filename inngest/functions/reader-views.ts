// Makes sure a superstar flag reaches every cached reader view (lib/feed/reader-view.ts):
// the admin's request bumped the views' epoch after its commit, and this bumps it again,
// retried until Redis answers, in case that first bump met a Redis error. The views of
// follows, mutes, blocks and showReposts changes are made sure of by the feed's sync
// functions (lib/feed/follow-sync.ts).
import { inngest } from "@/lib/events/client";
import { superstarFlagged } from "@/lib/events/schemas";
import { forgetAllReaderViews } from "@/lib/feed/reader-view";

export const forgetViewsOnFlag = inngest.createFunction({ id: "forget-reader-views-on-flag", triggers: [superstarFlagged], retries: 20 }, async () => {
  await forgetAllReaderViews();
  return { forgotten: "all" };
});

export const readerViewFunctions = [forgetViewsOnFlag];
