import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IService } from "kubernetes-models/v1/Service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ofKind,
  parseManifests,
  renderKustomization,
  schemaProblems,
  type Manifest,
} from "../src/kubernetes.js";
import { inRepo, scratchDir } from "../src/repo.js";

/**
 * deploy/k8s rendered by kustomize (kubectl's built-in, v5) and every object validated against
 * the Kubernetes OpenAPI schemas (kubernetes-models), then read for what operations need.
 */
const overlays = ["deploy/k8s/base", "deploy/k8s/overlays/dev", "deploy/k8s/overlays/production"];
const rendered = new Map<string, Manifest[]>();
const productServices = [
  "gateway",
  "chat-service",
  "notification-service",
  "assignment-service",
  "web",
];

let scratch: Awaited<ReturnType<typeof scratchDir>>;

beforeAll(async () => {
  scratch = await scratchDir("k8s");
  for (const dir of overlays) rendered.set(dir, await renderKustomization(dir));
});
afterAll(() => scratch?.remove());

const manifestsOf = (dir: string) => rendered.get(dir) ?? [];
const deploymentsOf = (dir: string) => ofKind<IDeployment>(manifestsOf(dir), "Deployment");
const containerOf = (d: IDeployment) => d.spec?.template.spec?.containers[0];

describe.each(overlays)("%s", (dir) => {
  it("renders, and every object is valid against the Kubernetes schemas", () => {
    const manifests = manifestsOf(dir);
    expect(manifests.length).toBeGreaterThan(10);
    expect(manifests.flatMap(schemaProblems)).toEqual([]);
  });

  it("has a Deployment, Service and PodDisruptionBudget for every service", () => {
    const manifests = manifestsOf(dir);
    const names = (kind: string) =>
      manifests.filter((m) => m.kind === kind).map((m) => m.metadata.name);
    for (const kind of ["Deployment", "Service", "PodDisruptionBudget"])
      expect(names(kind), kind).toEqual(expect.arrayContaining(productServices));
    for (const pdb of ofKind<IPodDisruptionBudget>(manifests, "PodDisruptionBudget")) {
      const selected = deploymentsOf(dir).filter((d) =>
        Object.entries(pdb.spec?.selector?.matchLabels ?? {}).every(
          ([k, v]) => d.spec?.template.metadata?.labels?.[k] === v,
        ),
      );
      expect(selected.length, `PDB ${pdb.metadata.name} selects a Deployment`).toBe(1);
    }
  });

  it("probes readiness on /readyz and liveness on /healthz, with resource requests and limits", () => {
    for (const deployment of deploymentsOf(dir)) {
      const name = deployment.metadata?.name ?? "";
      const container = containerOf(deployment);
      expect(container?.livenessProbe?.httpGet?.path, `${name} liveness`).toBe("/healthz");
      // nginx has no dependencies to wait for; every Node service reports its own readiness.
      expect(container?.readinessProbe?.httpGet?.path, `${name} readiness`).toBe(
        name === "web" ? "/healthz" : "/readyz",
      );
      for (const field of ["requests", "limits"] as const)
        expect(Object.keys(container?.resources?.[field] ?? {}).sort(), `${name} ${field}`).toEqual(
          ["cpu", "memory"],
        );
      expect(
        deployment.spec?.template.spec?.securityContext?.runAsNonRoot,
        `${name} non-root`,
      ).toBe(true);
    }
  });

  it("gives every Service a Deployment behind it, on a port the container exposes", () => {
    for (const service of ofKind<IService>(manifestsOf(dir), "Service")) {
      const workloads = [
        ...deploymentsOf(dir),
        ...ofKind<IStatefulSet>(manifestsOf(dir), "StatefulSet"),
      ].filter((w) =>
        Object.entries(service.spec?.selector ?? {}).every(
          ([k, v]) => w.spec?.template.metadata?.labels?.[k] === v,
        ),
      );
      expect(workloads.length, `Service ${service.metadata.name} selects a workload`).toBe(1);
      const ports =
        workloads[0]?.spec?.template.spec?.containers.flatMap((c) => c.ports ?? []) ?? [];
      for (const port of service.spec?.ports ?? [])
        expect(
          ports.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort),
          `Service ${service.metadata.name} port ${port.name}`,
        ).toBe(true);
    }
  });

  it("scales the gateway with a HorizontalPodAutoscaler", () => {
    const [hpa, ...others] = ofKind<IHorizontalPodAutoscaler>(
      manifestsOf(dir),
      "HorizontalPodAutoscaler",
    );
    expect(others).toEqual([]);
    expect(hpa?.spec?.scaleTargetRef).toMatchObject({ kind: "Deployment", name: "gateway" });
    expect(hpa?.spec?.minReplicas).toBeGreaterThanOrEqual(1);
  });

  it("routes /api and /socket.io to the gateway with cookie affinity, and / to the web app", () => {
    const ingresses = ofKind<IIngress>(manifestsOf(dir), "Ingress");
    const route = (path: string) =>
      ingresses.flatMap((i) =>
        (i.spec?.rules ?? []).flatMap((r) =>
          (r.http?.paths ?? [])
            .filter((p) => p.path === path)
            .map((p) => ({ ingress: i, backend: p.backend.service?.name })),
        ),
      );
    for (const path of ["/api", "/socket.io"]) {
      const [found] = route(path);
      expect(found?.backend, path).toBe("gateway");
      expect(found?.ingress.metadata?.annotations?.["nginx.ingress.kubernetes.io/affinity"]).toBe(
        "cookie",
      );
      expect(
        Number(
          found?.ingress.metadata?.annotations?.["nginx.ingress.kubernetes.io/proxy-read-timeout"],
        ),
      ).toBeGreaterThanOrEqual(3600);
    }
    expect(route("/")[0]?.backend).toBe("web");
  });

  it.each(["chat-service", "assignment-service", "notification-service"])(
    "runs %s migrations in an init container of the same image before the service",
    (name) => {
      const deployment = deploymentsOf(dir).find((d) => d.metadata?.name === name);
      const init = deployment?.spec?.template.spec?.initContainers ?? [];
      expect(init.map((c) => c.name)).toEqual(["migrate"]);
      expect(init[0]?.image).toBe(containerOf(deployment as IDeployment)?.image);
      expect([...(init[0]?.command ?? []), ...(init[0]?.args ?? [])]).toEqual([
        "node",
        "dist/src/migrate.js",
      ]);
      // Same configuration and secrets as the service, so it reaches the same database.
      expect(init[0]?.envFrom).toEqual(containerOf(deployment as IDeployment)?.envFrom);
    },
  );

  it("reads configuration from the generated ConfigMap and secrets from support-chat-secrets", () => {
    const configMaps = manifestsOf(dir)
      .filter((m) => m.kind === "ConfigMap")
      .map((m) => m.metadata.name);
    for (const deployment of deploymentsOf(dir).filter((d) => d.metadata?.name !== "web")) {
      const sources = containerOf(deployment)?.envFrom ?? [];
      expect(configMaps).toContain(sources.find((s) => s.configMapRef)?.configMapRef?.name);
      expect(sources.find((s) => s.secretRef)?.secretRef?.name).toMatch(/^support-chat-secrets/);
    }
  });
});

describe("overlays", () => {
  it("dev runs Postgres, Redis, NATS (JetStream, file storage) and MinIO as StatefulSets with volumes, and its own Secret", () => {
    const manifests = manifestsOf("deploy/k8s/overlays/dev");
    const sets = ofKind<IStatefulSet>(manifests, "StatefulSet");
    expect(sets.map((s) => s.metadata?.name).sort()).toEqual([
      "minio",
      "nats",
      "postgres",
      "redis",
    ]);
    for (const set of sets)
      expect(set.spec?.volumeClaimTemplates?.length, set.metadata?.name).toBe(1);
    const nats = sets.find((s) => s.metadata?.name === "nats");
    expect(nats?.spec?.template.spec?.containers[0]?.args).toEqual(
      expect.arrayContaining(["-js", "-sd", "/data"]),
    );
    const secretNames = manifests.filter((m) => m.kind === "Secret").map((m) => m.metadata.name);
    const referenced = containerOf(
      deploymentsOf("deploy/k8s/overlays/dev")[0] as IDeployment,
    )?.envFrom?.find((s) => s.secretRef)?.secretRef?.name;
    expect(secretNames).toContain(referenced);
    expect(manifests.every((m) => m.metadata.namespace === "support-chat-dev")).toBe(true);
  });

  it("production runs no stores and carries no secrets, pins images and serves TLS", () => {
    const manifests = manifestsOf("deploy/k8s/overlays/production");
    expect(manifests.filter((m) => ["StatefulSet", "Secret"].includes(m.kind))).toEqual([]);
    for (const deployment of deploymentsOf("deploy/k8s/overlays/production"))
      expect(containerOf(deployment)?.image).toMatch(/:\d+\.\d+\.\d+$/);
    for (const ingress of ofKind<IIngress>(manifests, "Ingress"))
      expect(ingress.spec?.tls?.length).toBe(1);
    const config = manifests.find((m) => m.kind === "ConfigMap") as Manifest & {
      data: Record<string, string>;
    };
    expect(config.data.AUTH_DEV_LOGIN).toBe("false");
  });

  it("the Secret template is a valid Secret with every key the services read, and no usable value", async () => {
    const [secret] = parseManifests(
      await readFile(inRepo("deploy/k8s/base/secret.template.yaml"), "utf8"),
    );
    expect(schemaProblems(secret as Manifest)).toEqual([]);
    const data = (secret as Manifest & { stringData: Record<string, string> }).stringData;
    expect(Object.keys(data).sort()).toEqual([
      "DATABASE_URL",
      "JWT_PUBLIC_KEY",
      "JWT_SECRET",
      "REDIS_URL",
      "S3_ACCESS_KEY_ID",
      "S3_SECRET_ACCESS_KEY",
      "SMTP_URL",
    ]);
    expect(data.JWT_SECRET?.length).toBeLessThan(32);
  });
});

describe("a deliberately broken copy is refused", () => {
  const brokenCopy = async (file: string, edit: (text: string) => string) => {
    const copy = join(scratch.path, `k8s-${Math.random().toString(36).slice(2)}`);
    await cp(inRepo("deploy/k8s"), copy, { recursive: true });
    const path = join(copy, file);
    const text = await readFile(path, "utf8");
    const changed = edit(text);
    expect(changed).not.toBe(text);
    await writeFile(path, changed);
    return copy;
  };

  it("a manifest of the wrong shape fails schema validation", async () => {
    const copy = await brokenCopy("base/gateway.yaml", (t) =>
      t.replace("containerPort: 3001", 'containerPort: "three thousand"'),
    );
    const manifests = await renderKustomization(join(copy, "overlays/production"));
    expect(manifests.flatMap(schemaProblems).join("\n")).toMatch(
      /Deployment\/gateway: .*containerPort must be integer/,
    );
  });

  it("a required field missing fails schema validation", async () => {
    const copy = await brokenCopy("base/web.yaml", (t) =>
      t.replace(
        "  selector:\n    matchLabels:\n      app.kubernetes.io/name: web\n  strategy:",
        "  strategy:",
      ),
    );
    const manifests = await renderKustomization(join(copy, "overlays/dev"));
    expect(manifests.flatMap(schemaProblems).join("\n")).toMatch(/Deployment\/web: .*selector/);
  });

  it("a kustomization naming a missing file does not render", async () => {
    const copy = await brokenCopy("base/kustomization.yaml", (t) =>
      t.replace("  - web.yaml", "  - webb.yaml"),
    );
    await expect(renderKustomization(join(copy, "overlays/dev"))).rejects.toThrow(/webb\.yaml/);
  });
});
