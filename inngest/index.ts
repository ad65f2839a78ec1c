import { feedFunctions } from "./functions/feed";
import { liveFunctions } from "./functions/live";
import { notificationFunctions } from "./functions/notifications";
import { readerViewFunctions } from "./functions/reader-views";
import { systemPingFunction } from "./functions/system-ping";

/** Every Inngest function the app serves. */
export const functions = [systemPingFunction, ...feedFunctions, ...notificationFunctions, ...liveFunctions, ...readerViewFunctions];
