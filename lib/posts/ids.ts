// Post ids arrive as URL segments: anything that is not an int8 in decimal is a 400
// here rather than a Postgres cast error (a 500) later.
import { invalid } from "@/lib/errors";
import { isInt8Id } from "@/lib/validation";

export const isId = isInt8Id;

/** The canonical id (no leading zeros), or an AppError 400 with fields.id. */
export function parsePostId(value: string): string {
  if (!isId(value)) throw invalid({ id: "Not a valid post id." }, "That is not a valid post id.");
  return BigInt(value).toString();
}
