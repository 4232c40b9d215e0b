import { defineConfig } from "vitest/config";
import { nodeTestConditions as conditions } from "../test-support/conditions.js";

// Browser end-to-end tests: the whole backend in-process (system-tests' stack), the built web
// app served by Vite's preview server in front of it, and Debian's Chromium driven by
// playwright-core. Run with `npm run e2e -w @support-chat/web`.

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: {
    name: "web-e2e",
    root: import.meta.dirname,
    environment: "node",
    include: ["e2e/**/*.e2e.spec.ts"],
    globalSetup: ["../test-support/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
