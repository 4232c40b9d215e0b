import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { i18nDefines, i18nPlugin } from "./vite.i18n.js";

// The app talks to the gateway through this server, so the browser sees one origin and needs
// no CORS: REST under /api, socket.io under /socket.io (with WebSocket upgrades).
const gateway = process.env.GATEWAY_URL ?? "http://localhost:3001";
const port = Number(process.env.WEB_PORT ?? 3000);

const proxy = {
  "/api": { target: gateway, changeOrigin: true },
  "/socket.io": { target: gateway, changeOrigin: true, ws: true },
};

export default defineConfig({
  plugins: [vue(), i18nPlugin()],
  define: i18nDefines,
  resolve: { conditions: ["source"] },
  server: { port, strictPort: true, proxy },
  preview: { port, strictPort: true, proxy },
  build: { outDir: "dist/app", emptyOutDir: true, sourcemap: true },
});
