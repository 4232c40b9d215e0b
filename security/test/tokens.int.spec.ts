import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatRoom, type ErrorCode } from "@support-chat/contracts";
import { GatewayEnv } from "@support-chat/gateway-service";
import { loadConfig } from "@support-chat/service-kit";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { api, http, openSocket, restErrorOf } from "../src/calls.js";
import { claimsFor, forge, future, past, rsaKeys, type Claims } from "../src/tokens.js";
import { startWorld, type World } from "../src/world.js";

/** Every refusal is checked on a read, on a write, and on the socket handshake. */
const refusedEverywhere = async (
  w: World,
  victim: Person,
  roomId: string,
  token: unknown,
  code: ErrorCode,
) => {
  const before = await w.snapshot();
  const bearer: Record<string, string> =
    typeof token === "string" ? { authorization: `Bearer ${token}` } : {};
  const read = await http(w.url, "GET", "/api/chat/room", { headers: bearer });
  expect(restErrorOf(read).code, read.text).toBe(code);
  const write = await http(w.url, "POST", `/api/chat/room/${roomId}/messages`, {
    headers: { ...bearer, "content-type": "application/json" },
    body: JSON.stringify({ message: `pretending to be ${victim.id}`, clientMessageId: "forged" }),
  });
  expect(restErrorOf(write).code, write.text).toBe(code);
  const { refusal } = await openSocket(w.url, { token });
  expect(refusal).toMatchObject({ code, message: expect.any(String) });
  expect(await w.changesSince(before)).toEqual([]);
};

describe("tokens with HS256 (JWT_SECRET)", () => {
  let w: World;
  let victim: Person;
  let roomId: string;
  beforeAll(async () => {
    w = await startWorld({ assignment: false });
    victim = w.person("customer", "Victim");
    roomId = ChatRoom.parse((await api(w.url, victim, "GET", "/chat/room")).body).id;
  });
  afterAll(async () => {
    await w?.stop();
  });

  const good = (): Claims => claimsFor(victim.id);
  const without = (field: string): Claims => {
    const claims = good();
    delete claims[field];
    return claims;
  };
  const signed = (claims: Claims) => forge.hmac(claims, w.stack.jwtSecret);

  it("accepts the storefront's own token (the baseline the refusals are measured against)", async () => {
    const reply = await api(w.url, victim, "GET", "/chat/room");
    expect(ChatRoom.parse(reply.body).id).toBe(roomId);
    const { refusal, socket } = await openSocket(w.url, { token: signed(good()) });
    expect(refusal).toBeNull();
    socket.close();
  });

  const cases: Array<[string, () => unknown, ErrorCode]> = [
    ["no token at all", () => undefined, "UNAUTHENTICATED"],
    ["an empty token", () => "", "UNAUTHENTICATED"],
    ["not a JWT", () => "not-a-jwt", "UNAUTHENTICATED"],
    ["three dots of nothing", () => "a.b.c", "UNAUTHENTICATED"],
    ["a number instead of a token", () => 12345, "UNAUTHENTICATED"],
    ["an expired token", () => signed({ ...good(), exp: past() }), "TOKEN_EXPIRED"],
    ["a token not valid yet (nbf)", () => signed({ ...good(), nbf: future() }), "UNAUTHENTICATED"],
    [
      "a token signed with another secret",
      () => forge.hmac(good(), "x".repeat(48)),
      "UNAUTHENTICATED",
    ],
    [
      "a token whose role was changed after signing",
      () => forge.tampered(signed(good()), { ...good(), role: "admin" }),
      "UNAUTHENTICATED",
    ],
    ["alg: none", () => forge.unsigned(good()), "UNAUTHENTICATED"],
    [
      "alg: None without the trailing dot",
      () => forge.unsigned(good(), "None", false),
      "UNAUTHENTICATED",
    ],
    ["alg: NONE", () => forge.unsigned(good(), "NONE"), "UNAUTHENTICATED"],
    [
      "HS512 with the right secret (only HS256 is allowed)",
      () => forge.hmac(good(), w.stack.jwtSecret, "HS512"),
      "UNAUTHENTICATED",
    ],
    ["role: superuser", () => signed({ ...good(), role: "superuser" }), "UNAUTHENTICATED"],
    [
      "role: system (what services act as)",
      () => signed({ ...good(), role: "system" }),
      "UNAUTHENTICATED",
    ],
    ["role: Admin (wrong case)", () => signed({ ...good(), role: "Admin" }), "UNAUTHENTICATED"],
    ["role as a list", () => signed({ ...good(), role: ["admin"] }), "UNAUTHENTICATED"],
    ["no role", () => signed(without("role")), "UNAUTHENTICATED"],
    ["no sub", () => signed(without("sub")), "UNAUTHENTICATED"],
    ["an empty sub", () => signed({ ...good(), sub: "  " }), "UNAUTHENTICATED"],
    ["a 200-character sub", () => signed({ ...good(), sub: "u".repeat(200) }), "UNAUTHENTICATED"],
    ["no name", () => signed(without("name")), "UNAUTHENTICATED"],
    ["no exp (a token that never expires)", () => signed(without("exp")), "UNAUTHENTICATED"],
  ];

  it.for(cases)(
    "refuses %s on REST and on the socket handshake, changing nothing",
    async ([, make, code]) => {
      await refusedEverywhere(w, victim, roomId, make(), code);
    },
  );

  it.for([
    ["Bearer", "no token after the scheme"],
    ["Basic dXNlcjpwYXNzd29yZA==", "another scheme"],
    ["Token {t}", "another scheme with a good token"],
    ["{t}", "a good token without the scheme"],
    ["Bearer {t} {t}", "two tokens"],
  ])("refuses the Authorization header %j (%s)", async ([header]) => {
    const before = await w.snapshot();
    const value = header!.replaceAll("{t}", victim.token);
    const reply = await http(w.url, "POST", `/api/chat/room/${roomId}/messages`, {
      headers: { authorization: value, "content-type": "application/json" },
      body: JSON.stringify({ message: "hi", clientMessageId: "hdr" }),
    });
    expect(restErrorOf(reply).code).toBe("UNAUTHENTICATED");
    expect(await w.changesSince(before)).toEqual([]);
  });

  it("does not take the token from anywhere but auth.token on the socket", async () => {
    const { refusal } = await openSocket(w.url, { authorization: `Bearer ${victim.token}` });
    expect(refusal).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("refuses to start with dev tokens enabled in production", () => {
    const production = {
      NODE_ENV: "production",
      JWT_SECRET: "s".repeat(40),
      AUTH_DEV_LOGIN: "true",
    };
    expect(
      () => loadConfig(GatewayEnv, production),
      "AUTH_DEV_LOGIN=true is accepted with NODE_ENV=production: anyone could mint an admin token",
    ).toThrow(/AUTH_DEV_LOGIN/);
  });
});

describe("tokens with RS256 (JWT_PUBLIC_KEY)", () => {
  let w: World;
  let victim: Person;
  let roomId: string;
  const keys = rsaKeys();
  const otherKeys = rsaKeys();
  const good = () => claimsFor(victim.id, "customer", "Victim");

  beforeAll(async () => {
    w = await startWorld({
      assignment: false,
      env: { JWT_PUBLIC_KEY: keys.publicKey, JWT_SECRET: "", AUTH_DEV_LOGIN: "false" },
    });
    const id = `customer-rs-${Date.now()}`;
    victim = { id, name: "Victim", role: "customer", token: "" };
    victim.token = forge.rs256(good(), keys.privateKey);
    roomId = ChatRoom.parse((await api(w.url, victim, "GET", "/chat/room")).body).id;
  });
  afterAll(async () => {
    await w?.stop();
  });

  it("accepts a token signed with the storefront's private key", async () => {
    const reply = await api(w.url, victim, "GET", `/chat/room/${roomId}`);
    expect(reply.status).toBe(200);
  });

  it.for([
    [
      "HS256 'signed' with the public key as the secret (HS/RS confusion)",
      () => forge.hmac(good(), keys.publicKey),
    ],
    ["RS256 signed with another private key", () => forge.rs256(good(), otherKeys.privateKey)],
    ["alg: none", () => forge.unsigned(good())],
    [
      "an expired RS256 token",
      () => forge.rs256({ ...good(), exp: past() }, keys.privateKey),
      "TOKEN_EXPIRED",
    ],
    ["RS256 with role: system", () => forge.rs256({ ...good(), role: "system" }, keys.privateKey)],
  ] as Array<[string, () => string, ErrorCode?]>)(
    "refuses %s, changing nothing",
    async ([, make, code]) => {
      await refusedEverywhere(w, victim, roomId, make(), code ?? "UNAUTHENTICATED");
    },
  );

  it("has no dev-token endpoint when dev login is off", async () => {
    const reply = await api(w.url, null, "POST", "/auth/dev-token", {
      name: "Mallory",
      role: "admin",
    });
    expect(restErrorOf(reply).code).toBe("NOT_FOUND");
  });
});
