import { describe, expect, it } from "vitest";
import { DomainError } from "@support-chat/contracts";
import { assertClaimedIdentity } from "../src/domain/identity.js";
import { bearerTokenOf, requireSupportRole, type Principal } from "../src/domain/principal.js";

const customer: Principal = { id: "cust-1", name: "Ann", role: "customer" };
const agent: Principal = { id: "agent-1", name: "Bo", role: "agent" };

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : "not a DomainError";
  }
};

describe("identity claimed in a payload", () => {
  it("accepts a payload that claims nothing", () => {
    expect(codeOf(() => assertClaimedIdentity(customer, {}))).toBeUndefined();
  });

  it("accepts the token's own id and a matching isFromSupport", () => {
    expect(
      codeOf(() => assertClaimedIdentity(customer, { senderId: "cust-1", isFromSupport: false })),
    ).toBeUndefined();
    expect(
      codeOf(() => assertClaimedIdentity(agent, { userId: "agent-1", isFromSupport: true })),
    ).toBeUndefined();
  });

  it("refuses someone else's senderId", () => {
    expect(codeOf(() => assertClaimedIdentity(customer, { senderId: "cust-2" }))).toBe(
      "IDENTITY_MISMATCH",
    );
  });

  it("refuses someone else's userId", () => {
    expect(codeOf(() => assertClaimedIdentity(agent, { userId: "cust-1" }))).toBe(
      "IDENTITY_MISMATCH",
    );
  });

  it("refuses a customer claiming to be support, and an agent claiming not to be", () => {
    expect(codeOf(() => assertClaimedIdentity(customer, { isFromSupport: true }))).toBe(
      "IDENTITY_MISMATCH",
    );
    expect(codeOf(() => assertClaimedIdentity(agent, { isFromSupport: false }))).toBe(
      "IDENTITY_MISMATCH",
    );
  });

  it("treats managers and admins as support", () => {
    for (const role of ["manager", "admin"] as const) {
      const principal: Principal = { id: "m", name: "M", role };
      expect(
        codeOf(() => assertClaimedIdentity(principal, { isFromSupport: true })),
      ).toBeUndefined();
    }
  });
});

describe("support-only routes", () => {
  it("let every support role through and turn customers away", () => {
    expect(codeOf(() => requireSupportRole(customer))).toBe("FORBIDDEN");
    for (const role of ["agent", "manager", "admin"] as const) {
      expect(codeOf(() => requireSupportRole({ id: "x", name: "X", role }))).toBeUndefined();
    }
  });
});

describe("bearer token from the Authorization header", () => {
  it("reads the token after Bearer", () => {
    expect(bearerTokenOf("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerTokenOf("bearer abc")).toBe("abc");
  });

  it.each([undefined, "", "Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Bearer a b"])(
    "refuses %j as UNAUTHENTICATED",
    (header) => {
      expect(codeOf(() => bearerTokenOf(header))).toBe("UNAUTHENTICATED");
    },
  );
});
