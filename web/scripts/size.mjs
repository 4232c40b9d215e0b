#!/usr/bin/env node
// Reports the gzipped size of the embeddable widget and fails when it is over the budget.
// `--report` only prints (used at the end of `npm run build`); the `size` script enforces.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

// The product promises a widget under 60 KiB (Chatwoot's is ~170 KiB). It speaks English, German
// and Spanish through a small translator of its own over plain JSON catalogs, not vue-i18n (which
// with compiled catalogs took it from ~56 to ~72 KiB), and is minified with terser.
const BUDGET_KIB = 60;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const embedDir = join(root, "dist", "embed");
const reportOnly = process.argv.includes("--report");

if (!existsSync(embedDir)) {
  console.error("dist/embed is missing: run `npm run build -w @support-chat/web` first.");
  process.exit(1);
}

const files = readdirSync(embedDir).filter((f) => f.endsWith(".js") || f.endsWith(".css"));
let total = 0;
for (const file of files) {
  const bytes = readFileSync(join(embedDir, file));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  console.log(
    `${file.padEnd(24)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KiB raw  ${(gzipped / 1024).toFixed(1).padStart(6)} KiB gzipped`,
  );
}
const totalKiB = total / 1024;
const verdict = totalKiB <= BUDGET_KIB ? "within" : "OVER";
console.log(
  `embeddable widget: ${totalKiB.toFixed(1)} KiB gzipped in all, ${verdict} the ${BUDGET_KIB} KiB budget`,
);
if (!reportOnly && totalKiB > BUDGET_KIB) process.exit(1);
