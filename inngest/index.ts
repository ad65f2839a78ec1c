import { fanOutBatch, fanOutPost, retractPost, syncFollowTimeline } from "./functions/feed";
import { systemPingFunction } from "./functions/system-ping";

/** Every Inngest function the app serves. */
export const functions = [systemPingFunction, fanOutPost, retractPost, fanOutBatch, syncFollowTimeline];
