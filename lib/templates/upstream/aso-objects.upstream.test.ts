import { beforeAll, describe, expect, it } from "vitest";
import { runGoChecker } from "./go-checker";
import { UPSTREAM } from "./modules";
import { renderedObjects, renderVariants, type RenderedObject } from "./variants";
import { ASO_GROUPS } from "./crd-schema";

// Azure Service Operator's module has no CRD manifests (the operator installs its own), so its
// objects are decoded strictly into ASO's Go types (testenv/aso-objects, built against
// github.com/Azure/azure-service-operator/v2@v2.18.0): an unknown or mistyped field fails there.
let aso: RenderedObject[] = [];
beforeAll(async () => {
  aso = renderedObjects(await renderVariants()).filter((o) =>
    ASO_GROUPS.has(String(o.object.apiVersion).split("/")[0] ?? ""),
  );
}, 120_000);

describe(`Azure Service Operator objects (${UPSTREAM.azureServiceOperator.module}@${UPSTREAM.azureServiceOperator.version})`, () => {
  it(
    "decode strictly into ASO's own types",
    () => {
      expect(new Set(aso.map((o) => `${o.object.apiVersion} ${o.object.kind}`))).toEqual(
        new Set([
          "resources.azure.com/v1api20200601 ResourceGroup",
          "containerservice.azure.com/v1api20240901 ManagedCluster",
          "containerservice.azure.com/v1api20240901 ManagedClustersAgentPool",
        ]),
      );
      const problems = runGoChecker<string[][]>(
        "aso-objects",
        aso.map((o) => o.object),
      );
      expect(aso.map((o, i) => [`${o.variant} ${o.object.kind}/${o.object.metadata.name}`, problems[i]])).toEqual(
        aso.map((o) => [`${o.variant} ${o.object.kind}/${o.object.metadata.name}`, []]),
      );
    },
    20 * 60_000,
  );

  it(
    "would catch a misspelt field and a mistyped value",
    () => {
      const cluster = aso.find((o) => o.object.kind === "ManagedCluster")!.object;
      const pools = cluster.spec.agentPoolProfiles as Record<string, unknown>[];
      const [spelt, typed] = runGoChecker<string[][]>("aso-objects", [
        { ...cluster, spec: { ...cluster.spec, dnsprefix: "x" } },
        { ...cluster, spec: { ...cluster.spec, agentPoolProfiles: [{ ...pools[0], count: "2" }] } },
      ]);
      expect(spelt).toEqual(['unknown field "spec.dnsprefix"']);
      expect(typed?.[0]).toContain("cannot unmarshal string into Go struct field");
    },
    20 * 60_000,
  );
});
