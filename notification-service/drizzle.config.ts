import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/adapters/webhooks/schema.ts",
  out: "./drizzle",
});
