import { systemPingFunction } from "./functions/system-ping";

/** Every Inngest function the app serves. */
export const functions = [systemPingFunction];
