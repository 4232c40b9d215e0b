import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [vue()],
  resolve: { conditions: ["source"] },
  test: {
    name: "web",
    root: import.meta.dirname,
    environment: "happy-dom",
    include: ["test/**/*.unit.spec.ts"],
  },
});
