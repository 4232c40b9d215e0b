import { describe, expect, it } from "vitest";
import { actorOf, principalFromClaims } from "../src/domain/principal.js";

const claims = { sub: "cust-1", name: "Ann", role: "customer", exp: 2_000_000_000 };

describe("the customer's address from the token", () => {
  it("is taken from a verified email claim, trimmed and lower-cased", () => {
    expect(principalFromClaims({ ...claims, email: " Ann@Shop.Example " }).email).toBe(
      "ann@shop.example",
    );
    expect(
      principalFromClaims({ ...claims, email: "ann@shop.example", email_verified: true }).email,
    ).toBe("ann@shop.example");
  });

  it("is left out when the token says it is unverified, or it is not an address", () => {
    const unverified = { ...claims, email: "ann@shop.example", email_verified: false };
    expect(principalFromClaims(unverified)).not.toHaveProperty("email");
    for (const email of ["not-an-address", 42, "", null]) {
      expect(principalFromClaims({ ...claims, email })).toEqual({
        id: "cust-1",
        name: "Ann",
        role: "customer",
      });
    }
  });

  it("never travels to the services with the actor", () => {
    const principal = principalFromClaims({ ...claims, email: "ann@shop.example" });
    expect(actorOf(principal)).toEqual({ id: "cust-1", name: "Ann", role: "customer" });
  });
});
