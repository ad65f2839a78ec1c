import { describe, expect, it } from "vitest";
import { clientIp, requestHost, UNKNOWN_CLIENT } from "@/lib/client-ip";

const h = (headers: Record<string, string>) => new Headers(headers);

describe("clientIp", () => {
  it("with 0 trusted hops ignores X-Forwarded-For and X-Real-IP altogether", () => {
    expect(clientIp(h({ "x-forwarded-for": "203.0.113.7" }), 0)).toBe(UNKNOWN_CLIENT);
    expect(clientIp(h({ "x-forwarded-for": "1.1.1.1, 2.2.2.2", "x-real-ip": "3.3.3.3" }), 0)).toBe(UNKNOWN_CLIENT);
    expect(clientIp(h({}), 0)).toBe(UNKNOWN_CLIENT);
  });

  it("with 1 hop takes the rightmost entry, whatever the client put to its left", () => {
    expect(clientIp(h({ "x-forwarded-for": "203.0.113.7" }), 1)).toBe("203.0.113.7");
    expect(clientIp(h({ "x-forwarded-for": "6.6.6.6, 7.7.7.7, 203.0.113.7" }), 1)).toBe("203.0.113.7");
  });

  it("with N hops takes the Nth entry from the right", () => {
    expect(clientIp(h({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" }), 2)).toBe("203.0.113.7");
    // Fewer entries than hops: every entry was written by a trusted proxy; the outermost one's.
    expect(clientIp(h({ "x-forwarded-for": "203.0.113.7" }), 3)).toBe("203.0.113.7");
  });

  it("normalises ports, brackets, case and IPv4-mapped IPv6", () => {
    expect(clientIp(h({ "x-forwarded-for": "203.0.113.7:51234" }), 1)).toBe("203.0.113.7");
    expect(clientIp(h({ "x-forwarded-for": "[2001:DB8::1]:443" }), 1)).toBe("2001:db8::1");
    expect(clientIp(h({ "x-forwarded-for": "2001:db8::1" }), 1)).toBe("2001:db8::1");
    expect(clientIp(h({ "x-forwarded-for": "::ffff:203.0.113.7" }), 1)).toBe("203.0.113.7");
  });

  it("answers UNKNOWN_CLIENT for garbage rather than using it as an identity", () => {
    for (const value of ["not-an-ip", "", " , , ", "1.2.3.4, <script>", "999.1.1.1", "1.2.3.4 5.6.7.8", "unknown"]) {
      expect(clientIp(h({ "x-forwarded-for": value }), 1), value).toBe(UNKNOWN_CLIENT);
    }
  });
});

describe("requestHost", () => {
  it("is the Host header unless a proxy is trusted", () => {
    expect(requestHost(h({ host: "Starling.example:3000", "x-forwarded-host": "evil.example" }), 0)).toBe("starling.example:3000");
    expect(requestHost(h({}), 0)).toBeNull();
  });

  it("with trusted hops is the host the outermost trusted proxy forwarded, else Host", () => {
    expect(requestHost(h({ host: "10.0.0.5:3000", "x-forwarded-host": "starling.example" }), 1)).toBe("starling.example");
    expect(requestHost(h({ host: "10.0.0.5:3000", "x-forwarded-host": "evil.example, starling.example" }), 1)).toBe("starling.example");
    expect(requestHost(h({ host: "10.0.0.5:3000" }), 1)).toBe("10.0.0.5:3000");
  });
});
