// The dynamic segments of /api/v1 routes. Values are checked by the lib/ functions they
// reach (a malformed post id is a 400 there), so these only name them.
import { z } from "zod";

export const postParams = z.object({ id: z.string() });
export const userParams = z.object({ username: z.string() });
