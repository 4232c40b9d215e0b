import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run, scratchDir, type RunResult } from "./repo.js";

/**
 * Renders an nginx template the way the nginx image's entrypoint does (envsubst of the given
 * variables only, so nginx's own $variables stay), wraps it in a minimal main config and asks
 * `nginx -t` whether nginx accepts it. Upstream host names must resolve here: pass addresses.
 */
export const nginxAccepts = async (
  template: string,
  variables: Record<string, string>,
  root = "/tmp",
): Promise<RunResult> => {
  const dir = await scratchDir("nginx");
  try {
    const text = (await readFile(template, "utf8")).replace(
      /\$\{(\w+)\}/g,
      (whole, name: string) => variables[name] ?? whole,
    );
    const site = join(dir.path, "site.conf");
    await writeFile(site, text.replaceAll("/usr/share/nginx/html", root));
    const main = join(dir.path, "nginx.conf");
    await writeFile(
      main,
      [
        `pid ${dir.path}/nginx.pid;`,
        `error_log ${dir.path}/error.log;`,
        "events {}",
        `http { include /etc/nginx/mime.types; access_log off; client_body_temp_path ${dir.path}; include ${site}; }`,
      ].join("\n"),
    );
    return await run("nginx", ["-t", "-q", "-c", main]);
  } finally {
    await dir.remove();
  }
};
