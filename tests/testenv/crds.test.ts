// Smoke tests of the upstream CRDs: the apiserver accepts a well-formed object of each kind Berth
// renders and refuses one that breaks the upstream schema, naming the field.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kube, loadTestEnv, type TestEnv } from "./env";

const env: TestEnv = loadTestEnv();
const ns = `crds-${crypto.randomBytes(3).toString("hex")}`;

interface Case {
  crd: string;
  path: string;
  valid: Record<string, unknown>;
  /** Changes to `valid` that break the schema, and a fragment of the apiserver's message. */
  invalid: Record<string, unknown>;
  error: string;
}

const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: ns } : {}) });
const api = (group: string, version: string, plural: string, namespaced = true) =>
  `/apis/${group}/${version}${namespaced ? `/namespaces/${ns}` : ""}/${plural}`;

const CASES: Case[] = [
  {
    crd: "applications.argoproj.io",
    path: api("argoproj.io", "v1alpha1", "applications"),
    valid: {
      spec: {
        project: "default",
        source: { repoURL: "http://git.example/repo.git", path: "apps", targetRevision: "main" },
        destination: { server: "https://kubernetes.default.svc", namespace: "apps" },
      },
    },
    invalid: { spec: { project: "default", destination: "https://kubernetes.default.svc" } },
    error: "spec.destination",
  },
  {
    crd: "applicationsets.argoproj.io",
    path: api("argoproj.io", "v1alpha1", "applicationsets"),
    valid: {
      spec: {
        generators: [{ list: { elements: [] } }],
        template: {
          metadata: {},
          spec: { project: "default", destination: { server: "https://kubernetes.default.svc" } },
        },
      },
    },
    invalid: { spec: { generators: [{ list: { elements: [] } }] } },
    error: "spec.template",
  },
  {
    crd: "appprojects.argoproj.io",
    path: api("argoproj.io", "v1alpha1", "appprojects"),
    valid: { spec: { sourceRepos: ["*"], destinations: [{ server: "*", namespace: "*" }] } },
    invalid: { spec: { sourceRepos: "*" } },
    error: "spec.sourceRepos",
  },
  {
    crd: "clusters.cluster.x-k8s.io",
    path: api("cluster.x-k8s.io", "v1beta1", "clusters"),
    valid: { spec: { topology: { class: "tanzukubernetescluster", version: "v1.33.1" } } },
    invalid: { spec: { topology: { class: "tanzukubernetescluster" } } },
    error: "spec.topology.version",
  },
  {
    crd: "managedclusters.containerservice.azure.com",
    path: api("containerservice.azure.com", "v1api20240901", "managedclusters"),
    valid: { spec: { location: "westeurope", owner: { name: "rg" }, kubernetesVersion: "1.32" } },
    invalid: { spec: { owner: { name: "rg" }, kubernetesVersion: 1.32 } },
    error: "spec.location",
  },
  {
    crd: "managedclustersagentpools.containerservice.azure.com",
    path: api("containerservice.azure.com", "v1api20240901", "managedclustersagentpools"),
    valid: { spec: { owner: { name: "aks" }, count: 3, vmSize: "Standard_D4s_v5", mode: "User" } },
    invalid: { spec: { owner: { name: "aks" }, count: "three" } },
    error: "spec.count",
  },
  {
    crd: "resourcegroups.resources.azure.com",
    path: api("resources.azure.com", "v1api20200601", "resourcegroups"),
    valid: { spec: { location: "westeurope" } },
    invalid: { spec: { tags: "team=a" } },
    error: "spec.location",
  },
  ...(["policies", "clusterpolicies"] as const).map((plural) => ({
    crd: `${plural}.kyverno.io`,
    path: api("kyverno.io", "v1", plural, plural === "policies"),
    valid: {
      spec: {
        rules: [
          {
            name: "require-team",
            match: { any: [{ resources: { kinds: ["Pod"] } }] },
            validate: { message: "label team is required", pattern: { metadata: { labels: { team: "?*" } } } },
          },
        ],
      },
    },
    invalid: { spec: { validationFailureAction: "Sometimes", rules: [] } },
    error: "spec.validationFailureAction",
  })),
  {
    crd: "namespacedvalidatingpolicies.policies.kyverno.io",
    path: api("policies.kyverno.io", "v1", "namespacedvalidatingpolicies"),
    valid: {
      spec: {
        validationActions: ["Deny"],
        matchConstraints: {
          resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
        },
        validations: [{ expression: "true", message: "never refused" }],
      },
    },
    invalid: { spec: { validationActions: ["Deny"], validations: [{ message: "no expression" }] } },
    error: "spec.validations[0].expression",
  },
  {
    crd: "certificates.cert-manager.io",
    path: api("cert-manager.io", "v1", "certificates"),
    valid: {
      spec: { secretName: "tls", dnsNames: ["a.example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } },
    },
    invalid: { spec: { dnsNames: ["a.example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } } },
    error: "spec.secretName",
  },
  {
    crd: "clusterissuers.cert-manager.io",
    path: api("cert-manager.io", "v1", "clusterissuers", false),
    valid: { spec: { selfSigned: {} } },
    invalid: { spec: { acme: { privateKeySecretRef: { name: "k" } } } },
    error: "spec.acme.server",
  },
  {
    crd: "externalsecrets.external-secrets.io",
    path: api("external-secrets.io", "v1", "externalsecrets"),
    valid: {
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: "vault" },
        target: { name: "creds" },
        data: [{ secretKey: "password", remoteRef: { key: "team/creds" } }],
      },
    },
    invalid: { spec: { secretStoreRef: { kind: "Vault", name: "vault" } } },
    error: "spec.secretStoreRef.kind",
  },
  {
    crd: "clustersecretstores.external-secrets.io",
    path: api("external-secrets.io", "v1", "clustersecretstores", false),
    valid: { spec: { provider: { fake: { data: [{ key: "k", value: "v" }] } } } },
    invalid: { spec: {} },
    error: "spec.provider",
  },
  {
    crd: "secretstores.external-secrets.io",
    path: api("external-secrets.io", "v1", "secretstores"),
    valid: { spec: { provider: { fake: { data: [{ key: "k", value: "v" }] } } } },
    invalid: { spec: { refreshInterval: 60 } },
    error: "spec.provider",
  },
  {
    crd: "clusterexternalsecrets.external-secrets.io",
    path: api("external-secrets.io", "v1", "clusterexternalsecrets", false),
    valid: {
      spec: {
        namespaceSelectors: [{ matchLabels: { "berth.io/team": "a" } }],
        externalSecretSpec: { secretStoreRef: { kind: "SecretStore", name: "team" }, target: { name: "creds" } },
      },
    },
    invalid: { spec: { namespaceSelectors: [] } },
    error: "spec.externalSecretSpec",
  },
];

// Kinds as the CRDs name them (read in beforeAll).
const KINDS: Record<string, string> = {};
const body = (c: Case, name: string, fields: Record<string, unknown>) => {
  const [, ...group] = c.crd.split(".");
  const version = c.path.split("/")[3];
  return {
    apiVersion: `${group.join(".")}/${version}`,
    kind: KINDS[c.crd],
    metadata: meta(name, c.path.includes("/namespaces/")),
    ...fields,
  };
};

describe("upstream CRDs", () => {
  beforeAll(async () => {
    const r = await kube(env, "/api/v1/namespaces", { method: "POST", body: { metadata: { name: ns } } });
    expect(r.status, r.text).toBe(201);
    const crds = await kube<{ items: { metadata: { name: string }; spec: { names: { kind: string } } }[] }>(
      env,
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    );
    for (const c of crds.json.items) KINDS[c.metadata.name] = c.spec.names.kind;
  });
  afterAll(async () => {
    await kube(env, `/api/v1/namespaces/${ns}`, { method: "DELETE" });
  });

  it("are installed from the upstream modules (and only Tanzu's from a hand-written fixture)", () => {
    expect(env.kubernetes.crds.sort()).toEqual(
      [...CASES.map((c) => c.crd), "tanzukubernetesclusters.run.tanzu.vmware.com"].sort(),
    );
  });

  for (const c of CASES) {
    it(`${c.crd}: accepts a well-formed object and refuses one breaking the schema (${c.error})`, async () => {
      const name = `ok-${crypto.randomBytes(2).toString("hex")}`;
      const ok = await kube(env, `${c.path}?dryRun=All`, { method: "POST", body: body(c, name, c.valid) });
      expect(ok.status, ok.text).toBe(201);
      const bad = await kube(env, `${c.path}?dryRun=All`, { method: "POST", body: body(c, `bad-${name}`, c.invalid) });
      expect(bad.status, bad.text).toBe(422);
      expect(bad.json.message).toContain(c.error);
    });
  }
});
