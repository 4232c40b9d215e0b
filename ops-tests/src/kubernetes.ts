import * as models from "kubernetes-models";
import { parseAllDocuments } from "yaml";
import { run } from "./repo.js";

/** One rendered Kubernetes object; the typed views below narrow it by kind. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // The shapes differ by kind; tests read them through the kubernetes-models types.
  [field: string]: unknown;
};

/** `kubectl kustomize <dir>` (kustomize v5, built into kubectl), parsed into objects. */
export const renderKustomization = async (dir: string, cwd?: string): Promise<Manifest[]> => {
  const result = await run("kubectl", ["kustomize", dir], cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
};

export const parseManifests = (text: string): Manifest[] =>
  parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join("\n"));
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);

type ModelClass = { new (data: unknown): { validate: () => void } };

/** The kubernetes-models class for an apiVersion and kind, e.g. apps/v1 Deployment. */
const modelFor = (apiVersion: string, kind: string): ModelClass | undefined => {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const groupKey = group
    ? (group as string).replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())
    : undefined;
  const root = models as unknown as Record<string, Record<string, Record<string, ModelClass>>>;
  const versions = groupKey ? root[groupKey] : { [version as string]: root[version as string] };
  return (versions?.[version as string] as Record<string, ModelClass> | undefined)?.[kind];
};

/**
 * kustomize wraps long base64 values of a Secret's data over several lines; the API server's
 * decoder skips the line breaks, so the schema check should too.
 */
const asServerDecodes = (manifest: Manifest): Manifest => {
  if (manifest.kind !== "Secret" || typeof manifest.data !== "object" || manifest.data === null)
    return manifest;
  const data = Object.fromEntries(
    Object.entries(manifest.data as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === "string" ? v.replace(/\s+/g, "") : v,
    ]),
  );
  return { ...manifest, data };
};

/**
 * Validates one object against the Kubernetes OpenAPI schema of its kind (types, required
 * fields, enums), as the API server would. Returns the problems, empty when valid.
 */
export const schemaProblems = (manifest: Manifest): string[] => {
  const Model = modelFor(manifest.apiVersion, manifest.kind);
  const name = `${manifest.kind}/${manifest.metadata?.name}`;
  if (!Model) return [`${name}: unknown apiVersion/kind ${manifest.apiVersion} ${manifest.kind}`];
  try {
    new Model(asServerDecodes(manifest)).validate();
    return [];
  } catch (e) {
    return [`${name}: ${e instanceof Error ? e.message : String(e)}`];
  }
};

export const ofKind = <T>(manifests: Manifest[], kind: string): Array<T & Manifest> =>
  manifests.filter((m) => m.kind === kind) as Array<T & Manifest>;
