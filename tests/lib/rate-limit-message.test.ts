import { describe, expect, it } from "vitest";
import { RateLimitError, waitInWords } from "@/lib/rate-limit";

describe("rate-limit message", () => {
  it("says the wait in the unit a person reads", () => {
    expect(waitInWords(1)).toBe("1 second");
    expect(waitInWords(45)).toBe("45 seconds");
    expect(waitInWords(60)).toBe("1 minute");
    expect(waitInWords(961)).toBe("16 minutes");
    expect(waitInWords(5_000)).toBe("83 minutes");
    expect(waitInWords(7_200)).toBe("2 hours");
  });

  it("keeps the seconds for Retry-After and words for the message", () => {
    const error = new RateLimitError(961);
    expect(error.retryAfterSeconds).toBe(961);
    expect(error.message).toBe("Too many attempts. Try again in 16 minutes.");
  });
});
