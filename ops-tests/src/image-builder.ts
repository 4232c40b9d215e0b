import { createHash } from "node:crypto";
import { cp, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, posix, relative } from "node:path";
import { dockerignore } from "./dockerignore.js";
import {
  argumentsOf,
  commandText,
  execForm,
  flagOf,
  healthcheckCommand,
  stagesOf,
} from "./dockerfile.js";
import { run } from "./repo.js";

/**
 * Carries out a Dockerfile's instructions on this machine, without a Docker engine, so CI runs
 * the very build and start commands the images use. Each stage gets a directory standing for
 * its filesystem root: WORKDIR, COPY (from the build context, filtered by .dockerignore, or from
 * an earlier stage), ENV and RUN act on it as they would in the image. Base images are not
 * fetched: the stage starts empty and commands use this machine's Node and npm, which match the
 * images' (Node 20). Like Docker's layer cache, a stage whose instructions so far are the same
 * as an earlier build's resumes from that build's snapshot.
 */
export type StageResult = {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[] | undefined;
  healthcheck: string[] | undefined;
};

export type ImageBuilder = {
  build: (dockerfile: string) => Promise<{ stages: Map<string, StageResult>; final: StageResult }>;
};

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

const mustRun = async (command: string, args: string[]) => {
  const result = await run(command, args);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
};

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

const substitute = (text: string, vars: Record<string, string>) =>
  text.replace(
    /\$\{(\w+)(:-[^}]*)?\}|\$(\w+)/g,
    (whole, braced?: string, fallback?: string, bare?: string) => {
      const name = braced ?? bare ?? "";
      return vars[name] ?? fallback?.slice(2) ?? whole;
    },
  );

export const createImageBuilder = (options: {
  context: string;
  scratch: string;
  /** Environment for RUN steps (PATH, npm cache...); the Dockerfile's ENV goes on top. */
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): ImageBuilder => {
  const snapshots = new Map<string, string>();
  let counter = 0;
  const fresh = async (label: string) => {
    const dir = join(options.scratch, `${++counter}-${label}`);
    await mkdir(dir, { recursive: true });
    return dir;
  };
  const ignoreRules = readFile(join(options.context, ".dockerignore"), "utf8")
    .catch(() => "")
    .then((text) => dockerignore({ ignorecase: false }).add(text.split("\n")));

  /** COPY's rules: a directory's contents land in the destination; files land in it when it ends
   * with "/" or there are several sources, and at the destination path otherwise. */
  const copyInto = async (
    root: string,
    sources: string[],
    destination: string,
    filter?: (path: string) => boolean,
  ) => {
    for (const source of sources) {
      const from = join(root, source);
      if (!(await exists(from))) throw new Error(`COPY: ${source} does not exist`);
      const isDir = (await stat(from)).isDirectory();
      const target =
        !isDir && (destination.endsWith("/") || sources.length > 1)
          ? join(destination, posix.basename(source))
          : destination;
      await mkdir(isDir ? target : dirname(target), { recursive: true });
      await cp(from, target, { recursive: true, ...(filter ? { filter } : {}) });
    }
  };

  const copyFromContext = async (sources: string[], destination: string) => {
    const ignored = await ignoreRules;
    await copyInto(options.context, sources, destination, (path) => {
      const rel = relative(options.context, path);
      return rel === "" || !ignored.ignores(rel);
    });
  };

  const build: ImageBuilder["build"] = async (dockerfile) => {
    const content = await readFile(join(options.context, dockerfile), "utf8");
    const stages = new Map<string, StageResult>();
    const globalArgs: Record<string, string> = {};
    for (const line of content.split("\n")) {
      if (/^FROM\s/i.test(line)) break;
      const m = /^ARG\s+(\w+)=(.*)$/i.exec(line.trim());
      if (m?.[1]) globalArgs[m[1]] = m[2] ?? "";
    }
    let final: StageResult | undefined;
    for (const [index, stage] of stagesOf(content).entries()) {
      const parent = stages.get(stage.base.toLowerCase());
      const state: StageResult = {
        root: "",
        workdir: parent?.workdir ?? "/",
        env: { ...parent?.env },
        user: parent?.user,
        cmd: parent?.cmd,
        healthcheck: parent?.healthcheck,
      };
      state.root = await fresh(stage.name ?? `stage${index}`);
      if (parent) await cp(parent.root, state.root, { recursive: true });
      // Layer cache: the key after each instruction covers the base and every instruction so
      // far. Only stages on a base image are cached (one built on another stage would need that
      // stage's identity in the key); the build context does not change within one run.
      const keys: string[] = [];
      for (const instruction of stage.instructions)
        keys.push(
          hash((keys.at(-1) ?? substitute(stage.base, globalArgs)) + instruction.getTextContent()),
        );
      const resumeAt = parent ? 0 : keys.findLastIndex((key) => snapshots.has(key)) + 1;
      if (resumeAt > 0) {
        const snapshot = snapshots.get(keys[resumeAt - 1] ?? "") ?? "";
        await mustRun("cp", ["-al", `${snapshot}/.`, state.root]);
        const saved = JSON.parse(await readFile(`${snapshot}.json`, "utf8")) as Omit<
          StageResult,
          "root"
        >;
        Object.assign(state, saved);
        options.log?.(`${dockerfile} [${stage.name}] cached: ${resumeAt} instructions`);
      }
      for (const [i, instruction] of stage.instructions.entries()) {
        if (i < resumeAt) continue;
        await apply(dockerfile, stage.name, instruction, state, stages, globalArgs);
        if (!parent && instruction.getKeyword() === "RUN") {
          // Hard links: later steps only add files (dist/, a fresh stage's node_modules).
          const snapshot = await fresh("snapshot");
          await mustRun("cp", ["-al", `${state.root}/.`, snapshot]);
          const { root: _root, ...saved } = state;
          await writeFile(`${snapshot}.json`, JSON.stringify(saved));
          snapshots.set(keys[i] ?? "", snapshot);
        }
      }
      if (stage.name) stages.set(stage.name, state);
      stages.set(String(index), state);
      final = state;
    }
    if (!final) throw new Error(`${dockerfile}: no stage`);
    return { stages, final };
  };

  const apply = async (
    dockerfile: string,
    stageName: string | undefined,
    instruction: Parameters<typeof commandText>[0],
    state: StageResult,
    stages: Map<string, StageResult>,
    args: Record<string, string>,
  ) => {
    const keyword = instruction.getKeyword();
    const vars = { ...args, ...state.env };
    const at = (path: string) => join(state.root, posix.resolve(state.workdir, path));
    switch (keyword) {
      case "ARG": {
        const [name, value] = (argumentsOf(instruction)[0] ?? "").split("=");
        if (name && value !== undefined && args[name] === undefined) args[name] = value;
        return;
      }
      case "WORKDIR":
        state.workdir = posix.resolve(
          state.workdir,
          substitute(argumentsOf(instruction)[0] ?? "/", vars),
        );
        await mkdir(join(state.root, state.workdir), { recursive: true });
        return;
      case "ENV":
        for (const pair of argumentsOf(instruction)) {
          const eq = pair.indexOf("=");
          if (eq > 0) state.env[pair.slice(0, eq)] = substitute(pair.slice(eq + 1), vars);
        }
        return;
      case "COPY": {
        const parts = argumentsOf(instruction).map((p) => substitute(p, vars));
        const destination = parts.pop() ?? ".";
        const target = at(destination) + (destination.endsWith("/") ? "/" : "");
        const from = flagOf(instruction, "from");
        if (from === undefined) return copyFromContext(parts, target);
        const source = stages.get(from.toLowerCase());
        if (!source) throw new Error(`${dockerfile}: COPY --from=${from}: no such stage`);
        return copyInto(source.root, parts, target);
      }
      case "RUN": {
        const text = commandText(instruction);
        const argv = execForm(text) ?? ["sh", "-c", text];
        options.log?.(`${dockerfile} [${stageName}] RUN ${argv.join(" ").slice(0, 100)}`);
        const result = await run(argv[0] ?? "sh", argv.slice(1), {
          cwd: join(state.root, state.workdir),
          env: { ...options.env, ...state.env },
          timeoutMs: 540_000,
        });
        if (result.code !== 0)
          throw new Error(
            `${dockerfile} [${stageName}] RUN ${text} failed (${result.code}):\n${result.stderr.slice(-4000)}`,
          );
        return;
      }
      case "USER":
        state.user = argumentsOf(instruction)[0];
        return;
      case "CMD":
        state.cmd = execForm(commandText(instruction));
        return;
      case "HEALTHCHECK":
        state.healthcheck = healthcheckCommand(instruction);
        return;
      case "EXPOSE":
      case "LABEL":
      case "STOPSIGNAL":
        return;
      default:
        throw new Error(`${dockerfile}: ${keyword} is not supported outside Docker`);
    }
  };

  return { build };
};
