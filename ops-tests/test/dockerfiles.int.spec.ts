import { readFile } from "node:fs/promises";
import { dockerignore } from "../src/dockerignore.js";
import { describe, expect, it } from "vitest";
import { lintDockerfile, type ImageRules } from "../src/dockerfile.js";
import { imageNames, inRepo, nodeServices } from "../src/repo.js";

const rulesFor = (image: string): ImageRules => {
  const service = nodeServices.find((s) => s.name === image);
  return service
    ? {
        buildCommands: ["npm install", `npx tsc -b ${service.name}`],
        cmd: ["node", "dist/src/main.js"],
        expose: service.port,
        runtimeInstallFlags: ["--omit=dev", `--workspace ${service.name}`],
      }
    : {
        buildCommands: ["npm install", "npm run build --workspace @support-chat/web"],
        cmd: ["nginx", "-g", "daemon off;"],
        expose: 8080,
        runtimeInstallFlags: [],
      };
};

const dockerfileOf = (image: string) => readFile(inRepo(image, "Dockerfile"), "utf8");

describe("Dockerfiles: parsed and held to the image rules", () => {
  it.each(imageNames)("%s/Dockerfile passes", async (image) => {
    expect(lintDockerfile(await dockerfileOf(image), rulesFor(image))).toEqual([]);
  });

  describe("a deliberately broken copy is refused", () => {
    const broken = async (edit: (text: string) => string) =>
      lintDockerfile(edit(await dockerfileOf("chat-service")), rulesFor("chat-service"));

    it("a syntax error (unknown instruction, unknown flag)", async () => {
      const problems = await broken((t) =>
        t
          .replace("RUN npx tsc -b chat-service", "RNU npx tsc -b chat-service")
          .replace("--from=build", "--frm=build"),
      );
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining("Unknown instruction: RNU"),
          expect.stringContaining("Unknown flag: frm"),
        ]),
      );
    });

    it("running as root", async () => {
      expect(await broken((t) => t.replace("USER node\n", ""))).toContain(
        "no USER in the runtime stage: the process would run as root",
      );
      expect(await broken((t) => t.replace("USER node\n", "USER root\n"))).toContain(
        "USER is root",
      );
    });

    it("a shell-form CMD, which would keep SIGTERM from Node", async () => {
      expect(
        await broken((t) =>
          t.replace('CMD ["node", "dist/src/main.js"]', "CMD node dist/src/main.js"),
        ),
      ).toContain("CMD is in shell form: SIGTERM would reach the shell, not the process");
    });

    it("no HEALTHCHECK", async () => {
      expect(await broken((t) => t.replace(/HEALTHCHECK[^\n]*\\\n[^\n]*\n/, ""))).toContain(
        "no HEALTHCHECK with an exec-form CMD in the runtime stage",
      );
    });

    it("a single stage, or a runtime built on the build stage", async () => {
      expect(
        await broken((t) => t.replace(/\nFROM \$\{NODE_IMAGE\} AS runtime\n/, "\n")),
      ).toContain("not multi-stage: build and runtime need separate stages");
      expect(
        await broken((t) => t.replace("FROM ${NODE_IMAGE} AS runtime", "FROM build AS runtime")),
      ).toContain("the runtime stage starts from a build stage: build tools would ship");
    });

    it("development dependencies in the runtime image", async () => {
      expect(await broken((t) => t.replace("npm install --omit=dev", "npm install"))).toContain(
        "runtime dependency install lacks --omit=dev",
      );
    });
  });

  it(".dockerignore keeps installed and built files, git and secrets out of the build context", async () => {
    const ignored = dockerignore().add(
      (await readFile(inRepo(".dockerignore"), "utf8")).split("\n"),
    );
    for (const path of [
      "node_modules",
      "chat-service/node_modules",
      "chat-service/dist",
      "web/dist",
      ".git",
      ".env",
      ".env.production",
    ])
      expect(ignored.ignores(path), path).toBe(true);
    for (const path of [
      ".env.example",
      "package-lock.json",
      "chat-service/src/main.ts",
      "chat-service/drizzle",
      "deploy/nginx/web.conf.template",
    ])
      expect(ignored.ignores(path), path).toBe(false);
  });
});
