import { DockerfileParser, ModifiableInstruction, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";

export type Stage = {
  name: string | undefined;
  /** The image or earlier stage this one starts from, as written. */
  base: string;
  instructions: Instruction[];
};

/** A Dockerfile's stages in order, each with the instructions after its FROM. */
export const stagesOf = (content: string): Stage[] => {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(content).getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const [base = "", , name] = instruction.getArguments().map((a) => a.getValue());
      stages.push({ name: name?.toLowerCase(), base, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
};

/** The arguments of an instruction with its `--flags` left out. */
export const argumentsOf = (instruction: Instruction): string[] =>
  instruction
    .getArguments()
    .map((a) => a.getValue())
    .filter((value) => !value.startsWith("--"));

export const flagOf = (instruction: Instruction, flag: string): string | undefined => {
  const flags = instruction instanceof ModifiableInstruction ? instruction.getFlags() : [];
  return flags.find((f) => f.getName() === flag)?.getValue() ?? undefined;
};

/** The text after the keyword and its flags, with line continuations kept (for the shell). */
export const commandText = (instruction: Instruction): string => {
  const raw = instruction.getRawArgumentsContent() ?? "";
  return raw.replace(/^(\s*--\S+\s+(\\\n\s*)?)+/, "").trim();
};

/** The exec form `["a", "b"]` of a CMD/HEALTHCHECK CMD/RUN, or undefined for the shell form. */
export const execForm = (text: string): string[] | undefined => {
  if (!text.trim().startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.replace(/\\\n/g, " "));
    return Array.isArray(parsed) && parsed.every((p) => typeof p === "string")
      ? (parsed as string[])
      : undefined;
  } catch {
    return undefined;
  }
};

/** HEALTHCHECK [options] CMD ["..."]: the command's exec form. */
export const healthcheckCommand = (instruction: Instruction): string[] | undefined => {
  const text = commandText(instruction).replace(/\\\n/g, " ");
  const at = text.search(/\bCMD\b/);
  return at < 0 ? undefined : execForm(text.slice(at + 3).trim());
};

export type ImageRules = {
  /** Commands the build stage must run, as written in the Dockerfile. */
  buildCommands: string[];
  /** The final stage's CMD. */
  cmd: string[];
  expose: number;
  /** Words every dependency install in the final stage must carry (production only). */
  runtimeInstallFlags: string[];
};

const ROOT_USERS = new Set(["root", "0", "0:0", "root:root"]);

/**
 * Everything we hold every image to, checked on the parsed Dockerfile. Returns the problems
 * found, one line each; an empty list means the Dockerfile passes.
 */
export const lintDockerfile = (content: string, rules: ImageRules): string[] => {
  const problems = validate(content)
    .filter((d) => d.severity === 1)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const stages = stagesOf(content);
  if (stages.length < 2) problems.push("not multi-stage: build and runtime need separate stages");
  const final = stages.at(-1);
  if (!final) return [...problems, "no FROM"];
  const earlier = new Set(stages.slice(0, -1).map((s) => s.name));
  if (earlier.has(final.base.toLowerCase()))
    problems.push("the runtime stage starts from a build stage: build tools would ship");
  const of = (keyword: string) => final.instructions.filter((i) => i.getKeyword() === keyword);

  const user = of("USER").at(-1);
  if (!user) problems.push("no USER in the runtime stage: the process would run as root");
  else if (ROOT_USERS.has(argumentsOf(user)[0] ?? "root")) problems.push("USER is root");

  const health = of("HEALTHCHECK").at(-1);
  const probe = health && healthcheckCommand(health);
  if (!probe) problems.push("no HEALTHCHECK with an exec-form CMD in the runtime stage");
  else if (!probe.some((part) => part.includes("/healthz")))
    problems.push("HEALTHCHECK does not call /healthz");

  const cmd = of("CMD").at(-1);
  const argv = cmd && execForm(commandText(cmd));
  if (!cmd) problems.push("no CMD in the runtime stage");
  else if (!argv)
    problems.push("CMD is in shell form: SIGTERM would reach the shell, not the process");
  else if (JSON.stringify(argv) !== JSON.stringify(rules.cmd))
    problems.push(`CMD is ${JSON.stringify(argv)}, expected ${JSON.stringify(rules.cmd)}`);
  if (of("ENTRYPOINT").some((e) => !execForm(commandText(e))))
    problems.push("ENTRYPOINT is in shell form");

  if (!of("EXPOSE").some((e) => argumentsOf(e).includes(String(rules.expose))))
    problems.push(`runtime stage does not EXPOSE ${rules.expose}`);
  if (!of("COPY").some((c) => flagOf(c, "from") !== undefined))
    problems.push("runtime stage copies nothing from the build stage");
  for (const install of of("RUN").filter((r) => /\bnpm (ci|install)\b/.test(commandText(r)))) {
    const text = commandText(install);
    for (const flag of rules.runtimeInstallFlags)
      if (!text.includes(flag)) problems.push(`runtime dependency install lacks ${flag}`);
  }

  const buildRuns = stages
    .slice(0, -1)
    .flatMap((s) => s.instructions.filter((i) => i.getKeyword() === "RUN"))
    .map(commandText);
  for (const command of rules.buildCommands)
    if (!buildRuns.some((r) => r.includes(command)))
      problems.push(`build stage never runs \`${command}\``);

  for (const add of stages.flatMap((s) => s.instructions.filter((i) => i.getKeyword() === "ADD")))
    if (argumentsOf(add).some((a) => /^https?:/.test(a)))
      problems.push("ADD of a URL: unpinned download; fetch and verify it in a RUN instead");
  return problems;
};
