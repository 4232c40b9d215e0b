import { afterAll, beforeAll } from "vitest";
import { webhookMatrix } from "../src/webhook-cases.js";
import { startWorld, type World } from "../src/world.js";

/** The webhook routes in the role matrix: managers and admins only, refusals change nothing. */
let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

webhookMatrix(() => w);
