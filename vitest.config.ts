import { defineConfig } from "vitest/config";
import { nodeTestConditions as conditions } from "./test-support/conditions.js";

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: {
    globalSetup: ["./test-support/global-setup.ts"],
    projects: [
      "./web/vitest.config.ts",
      {
        extends: true,
        test: {
          name: "unit",
          include: ["*/test/**/*.unit.spec.ts"],
          // The web app's tests need the Vue plugin and a DOM: they run in ./web/vitest.config.ts.
          exclude: ["**/node_modules/**", "web/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["*/test/**/*.int.spec.ts", "*/test/**/*.e2e.spec.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
