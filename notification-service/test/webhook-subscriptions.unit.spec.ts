import { DomainError, ROOM_EVENT_TYPES, type Actor } from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import {
  checkWebhookUrl,
  isPrivateAddress,
  newSecret,
  normalizeEventTypes,
  requireManager,
} from "../src/domain/webhooks/subscriptions.js";

const strict = { allowHttp: false, allowPrivateNetworks: false };
const dev = { allowHttp: true, allowPrivateNetworks: true };

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe("VALIDATION_FAILED");
    return (e as DomainError).message;
  }
  throw new Error("not refused");
};

describe("who manages webhooks", () => {
  const as = (role: Actor["role"]): Actor => ({ id: "u1", name: "U", role });

  it("managers and admins do", () => {
    expect(() => requireManager(as("manager"))).not.toThrow();
    expect(() => requireManager(as("admin"))).not.toThrow();
  });

  it("agents, customers and services are refused", () => {
    for (const role of ["agent", "customer", "system"] as const) {
      expect(() => requireManager(as(role))).toThrow(
        expect.objectContaining({ code: "FORBIDDEN" }),
      );
    }
  });
});

describe("webhook URLs", () => {
  it("takes https URLs as they are, without a fragment", () => {
    expect(checkWebhookUrl("https://hooks.example.com/in?x=1", strict)).toBe(
      "https://hooks.example.com/in?x=1",
    );
    expect(checkWebhookUrl(" https://hooks.example.com/in#part ", strict)).toBe(
      "https://hooks.example.com/in",
    );
  });

  it("refuses plain http unless the installation allows it", () => {
    expect(refusal(() => checkWebhookUrl("http://hooks.example.com/", strict))).toMatch(/https/);
    expect(checkWebhookUrl("http://hooks.example.com/", dev)).toBe("http://hooks.example.com/");
  });

  it("refuses other schemes and what is not a URL", () => {
    for (const url of ["ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "/in"]) {
      refusal(() => checkWebhookUrl(url, dev));
    }
  });

  it("refuses credentials in the URL, always", () => {
    expect(refusal(() => checkWebhookUrl("https://user:pw@example.com/", dev))).toMatch(
      /credentials/,
    );
    refusal(() => checkWebhookUrl("https://token@example.com/", dev));
  });

  it("refuses loopback, private and link-local hosts unless private networks are allowed", () => {
    for (const url of [
      "https://localhost/",
      "https://api.localhost/",
      "https://127.0.0.1:8443/",
      "https://10.1.2.3/",
      "https://172.20.0.1/",
      "https://192.168.1.10/",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/",
      "https://[fd00::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://0.0.0.0/",
    ]) {
      expect(
        refusal(() => checkWebhookUrl(url, strict)),
        url,
      ).toMatch(/private/);
      expect(() => checkWebhookUrl(url, dev), url).not.toThrow();
    }
  });
});

describe("private addresses", () => {
  it("are told apart from public ones", () => {
    expect(["127.0.0.1", "10.0.0.1", "100.64.0.1", "::1", "fe80::1"].map(isPrivateAddress)).toEqual(
      [true, true, true, true, true],
    );
    expect(
      ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "example.com"].map(isPrivateAddress),
    ).toEqual([false, false, false, false]);
  });
});

describe("event types", () => {
  it("are kept once each, in the contract's order", () => {
    expect(normalizeEventTypes(["RoomClosed", "MessagePosted", "RoomClosed"])).toEqual(
      ROOM_EVENT_TYPES.filter((t) => t === "MessagePosted" || t === "RoomClosed"),
    );
  });
});

describe("secrets", () => {
  it("are 32 random bytes, base64url, with a recognisable prefix", () => {
    const secret = newSecret((n) => new Uint8Array(n).fill(255));
    expect(secret).toBe(`whsec_${Buffer.alloc(32, 255).toString("base64url")}`);
    expect(Buffer.from(secret.slice(6), "base64url")).toHaveLength(32);
  });
});
