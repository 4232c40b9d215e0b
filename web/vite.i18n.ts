import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import VueI18nPlugin from "@intlify/unplugin-vue-i18n/vite";

const catalogs = join(dirname(fileURLToPath(import.meta.url)), "src", "i18n", "**", "*.json");

/**
 * The message catalogs are compiled at build time, so the browser gets vue-i18n's runtime-only
 * build (no message compiler) and Composition API only: the widget bundle stays small.
 */
export const i18nPlugin = () =>
  VueI18nPlugin({
    include: [catalogs],
    runtimeOnly: true,
    compositionOnly: true,
    fullInstall: false,
    dropMessageCompiler: true,
    strictMessage: true,
  });

export const i18nDefines = { __INTLIFY_PROD_DEVTOOLS__: "false" };
