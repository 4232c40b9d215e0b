import vue from "@vitejs/plugin-vue";
import { defineConfig, type Plugin } from "vite";

/**
 * Library builds emit their CSS as a separate file; the embed must be ONE script tag, so the
 * stylesheet is moved into the script, which adds it to the page when it loads.
 */
const inlineCss = (): Plugin => ({
  name: "support-chat:inline-css",
  apply: "build",
  enforce: "post",
  generateBundle(_options, bundle) {
    const cssFiles = Object.values(bundle).filter(
      (file) => file.type === "asset" && file.fileName.endsWith(".css"),
    );
    const css = cssFiles.map((file) => (file.type === "asset" ? String(file.source) : "")).join("");
    for (const file of cssFiles) delete bundle[file.fileName];
    const injector =
      `(function(){if(typeof document==="undefined")return;` +
      `var s=document.createElement("style");s.setAttribute("data-support-chat","");` +
      `s.textContent=${JSON.stringify(css)};document.head.appendChild(s);})();\n`;
    for (const file of Object.values(bundle)) {
      if (file.type === "chunk" && file.isEntry) file.code = injector + file.code;
    }
  },
});

export default defineConfig({
  // No vue-i18n plugin: the widget's catalogs are plain JSON for its own translator
  // (src/i18n/plain-translator.ts); compiled to message ASTs they were nearly twice as large.
  plugins: [vue(), inlineCss()],
  resolve: { conditions: ["source"] },
  // Library mode leaves these to the host; the embed runs in plain pages, so fix them here.
  define: {
    "process.env.NODE_ENV": JSON.stringify("production"),
    __VUE_OPTIONS_API__: "false",
    __VUE_PROD_DEVTOOLS__: "false",
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
  },
  build: {
    outDir: "dist/embed",
    emptyOutDir: true,
    cssCodeSplit: false,
    // Terser with two passes packs the embed tighter than esbuild (the gzipped budget counts).
    minify: "terser",
    terserOptions: { ecma: 2020, compress: { passes: 2 } },
    lib: {
      entry: "src/embed.ts",
      name: "SupportChat",
      formats: ["iife"],
      fileName: () => "support-chat.js",
    },
  },
});
