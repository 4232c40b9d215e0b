import { defaultServerConditions } from "vite";

/**
 * How tests that run in Node resolve packages. Workspace packages export their TypeScript
 * sources under the "source" condition, so tests run against the code as written, without a
 * build step in between. The bundler-only "module" condition is left out: Node never uses it,
 * and some packages (@opentelemetry/api 1.9, which prom-client loads) name an ESM build under it
 * that Node cannot run.
 */
export const nodeTestConditions = [
  "source",
  ...defaultServerConditions.filter((c) => c !== "module"),
];
