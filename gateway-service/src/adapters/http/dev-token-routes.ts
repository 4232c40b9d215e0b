import { Router } from "express";
import { DevTokenBody } from "@support-chat/contracts";
import type { DevTokenIssuer } from "../auth/dev-token-issuer.js";
import type { publicEndpoint } from "./endpoint.js";
import { parseInput } from "./input.js";

/** `POST /auth/dev-token`: only mounted with AUTH_DEV_LOGIN=true, never in production. */
export const devTokenRoutes = (deps: {
  endpoint: ReturnType<typeof publicEndpoint>;
  issue: DevTokenIssuer;
}) =>
  Router().post(
    "/auth/dev-token",
    deps.endpoint("devToken", async (req) => ({
      body: deps.issue(parseInput(DevTokenBody, req.body, "dev token request")),
    })),
  );
