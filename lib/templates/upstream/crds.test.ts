import { beforeAll, describe, expect, it } from "vitest";
import { bootstrapObjects } from "@/lib/gitops/bootstrap-manifests";
import { ASO_GROUPS, BUILTIN_GROUPS, CRD_FILES, crdProblems } from "./crd-schema";
import { type AnyObject, renderedObjects, renderVariants, type RenderedObject } from "./variants";

// Every custom resource Berth renders, checked against its project's own CRD (openAPIV3Schema of
// the served version, as strictly as the API server's fieldValidation=Strict) from the Go module
// cache. The API server dry run (tests/testenv) checks the same objects again, with CEL rules.
let objects: RenderedObject[] = [];
beforeAll(async () => {
  objects = renderedObjects(await renderVariants());
  const boot = bootstrapObjects({
    repoURL: "https://git.example.com/platform/gitops.git",
    revision: "main",
    labelDomain: "berth.io",
    argocdNamespace: "argocd",
  });
  for (const [file, docs] of Object.entries(boot))
    for (const object of docs) objects.push({ variant: "bootstrap", file, object: object as AnyObject });
}, 120_000);

const groupOf = (o: RenderedObject) =>
  String(o.object.apiVersion).includes("/") ? String(o.object.apiVersion).split("/")[0]! : "";

describe("rendered custom resources against their upstream CRDs", () => {
  it("use only API groups whose upstream definition is known here", () => {
    const unknown = objects.filter((o) => {
      const g = groupOf(o);
      return !BUILTIN_GROUPS.has(g) && !ASO_GROUPS.has(g) && !CRD_FILES[`${g}/${o.object.kind}`];
    });
    expect(unknown.map((o) => `${o.file}: ${o.object.apiVersion} ${o.object.kind}`)).toEqual([]);
  });

  it("are served, not deprecated, and valid against the CRD schema", () => {
    const checked = objects.filter((o) => CRD_FILES[`${groupOf(o)}/${o.object.kind}`]);
    expect(new Set(checked.map((o) => o.object.kind))).toEqual(
      new Set([
        "Application",
        "ApplicationSet",
        "AppProject",
        "Cluster",
        "ExternalSecret",
        "ClusterExternalSecret",
        "SecretStore",
        "NamespacedValidatingPolicy",
        "Certificate",
      ]),
    );
    const problems = checked.flatMap((o) =>
      crdProblems(o.object).map((p) => `${o.variant} ${o.file} ${o.object.kind}/${o.object.metadata?.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it("would catch a field the CRD does not have", () => {
    const cluster = objects.find((o) => o.object.kind === "Cluster")!.object;
    expect(
      crdProblems({
        ...cluster,
        spec: { ...cluster.spec, topology: { ...cluster.spec.topology, classRef: { name: "x" } } },
      }),
    ).toContainEqual(expect.stringContaining("must NOT have additional properties"));
    expect(crdProblems({ ...cluster, apiVersion: "cluster.x-k8s.io/v1alpha4" })).toEqual([
      "cluster.x-k8s.io/Cluster has no version v1alpha4 (upstream: v1beta1, v1beta2)",
    ]);
  });
});
