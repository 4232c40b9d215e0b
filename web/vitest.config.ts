import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";
import { i18nPlugin } from "./vite.i18n.js";

export default defineConfig({
  plugins: [vue(), i18nPlugin()],
  resolve: { conditions: ["source"] },
  test: {
    name: "web",
    root: import.meta.dirname,
    environment: "happy-dom",
    include: ["test/**/*.unit.spec.ts"],
    // Every language's catalogs, as in the app; the tests read English unless they switch.
    setupFiles: ["test/setup-i18n.ts"],
  },
});
