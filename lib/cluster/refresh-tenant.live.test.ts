import { readFileSync } from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { kube } from "@/tests/testenv/env";
import { ensureNamespace, env, hex, testKubeConfig } from "./live-test-support";
import { refreshTenant, TEAM_PROJECTS_APPLICATION, TENANTS_APPLICATIONSET } from "./refresh-tenant";

// After a merge Berth wakes the ApplicationSet (a new tenant's Application), the team projects and
// every Application of the tenant, with exactly the RBAC deploy/rbac.yaml grants.
// The "team namespace" is outside berth-apps-*: the environment's real application controller
// watches that glob and would consume (remove) the annotation this test looks for.
const [argocd, apps, berth] = [`argocd-${hex()}`, `team-apps-${hex()}`, `berth-${hex()}`];
const tenant = `t-${hex()}`;
const APPSETS = `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applicationsets`;

// Applications in namespaces of this test's, which no Argo CD controller watches: only their annotations matter.
async function createApplication(ns: string, name: string, tenant: string) {
  const r = await kube(env, `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications`, {
    method: "POST",
    body: {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name, namespace: ns, labels: { "berth.io/tenant": tenant, "berth.io/team": "payments" } },
      spec: {
        project: "default",
        source: { repoURL: env.gitea.cloneUrl, path: `tenants/${tenant}`, targetRevision: "main" },
        destination: { server: "https://kubernetes.default.svc", namespace: `tenant-${tenant}` },
      },
    },
  });
  expect(r.status, r.text).toBe(201);
}

async function createApplicationSet(name: string) {
  const r = await kube(env, APPSETS, {
    method: "POST",
    body: {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name, namespace: argocd },
      spec: {
        generators: [{ list: { elements: [] } }],
        template: { metadata: { name: "x" }, spec: { project: "default", destination: {}, source: { repoURL: "x" } } },
      },
    },
  });
  expect(r.status, r.text).toBe(201);
}

/** deploy/rbac.yaml with its namespaces (berth, argocd) moved to this test's. */
async function applyDeployRbac() {
  const text = readFileSync(path.join(import.meta.dirname, "..", "..", "deploy", "rbac.yaml"), "utf8");
  const suffix = hex();
  for (const doc of parseAllDocuments(text).map((d) => d.toJS())) {
    const o = JSON.parse(
      JSON.stringify(doc)
        .replaceAll('"namespace":"berth"', `"namespace":"${berth}"`)
        .replaceAll('"namespace":"argocd"', `"namespace":"${argocd}"`),
    );
    // Cluster-wide objects get a name of this test's, so parallel runs do not share them.
    if (o.kind.startsWith("Cluster")) o.metadata.name = `${o.metadata.name}-${suffix}`;
    if (o.kind === "ClusterRoleBinding") o.roleRef.name = `${o.roleRef.name}-${suffix}`;
    const ns = o.metadata.namespace;
    const group = o.apiVersion.includes("/") ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
    const plural = {
      ServiceAccount: "serviceaccounts",
      ClusterRole: "clusterroles",
      ClusterRoleBinding: "clusterrolebindings",
      Role: "roles",
      RoleBinding: "rolebindings",
    }[o.kind as string];
    const r = await kube(env, `${group}${ns ? `/namespaces/${ns}` : ""}/${plural}`, { method: "POST", body: o });
    expect(r.status, `${o.kind} ${o.metadata.name}: ${r.text}`).toBe(201);
  }
}

async function berthKubeConfig(): Promise<KubeConfig> {
  const tr = await kube<{ status: { token: string } }>(env, `/api/v1/namespaces/${berth}/serviceaccounts/berth/token`, {
    method: "POST",
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 600 } },
  });
  expect(tr.status, tr.text).toBe(201);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: "test", server: env.kubernetes.server, caData: Buffer.from(env.kubernetes.ca).toString("base64") },
    ],
    users: [{ name: "berth", token: tr.json.status.token }],
    contexts: [{ name: "test", cluster: "test", user: "berth" }],
    currentContext: "test",
  });
  return kc;
}

describe("refreshTenant", () => {
  beforeAll(async () => {
    for (const ns of [argocd, apps, berth]) await ensureNamespace(ns);
    await createApplicationSet(TENANTS_APPLICATIONSET);
    await createApplicationSet("someone-elses");
    await createApplication(argocd, TEAM_PROJECTS_APPLICATION, "none");
    await createApplication(argocd, `tenant-${tenant}`, tenant);
    await createApplication(apps, `${tenant}-vcluster`, tenant);
    await applyDeployRbac();
  });

  it("annotates the ApplicationSet, the team projects and the tenant's Applications in every namespace, as Berth's service account", async () => {
    await refreshTenant({
      kubeConfig: await berthKubeConfig(),
      argocdNamespace: argocd,
      labelDomain: "berth.io",
      tenant,
    });
    const appSet = await kube(env, `${APPSETS}/${TENANTS_APPLICATIONSET}`);
    expect(appSet.json.metadata.annotations).toEqual({ "argocd.argoproj.io/application-set-refresh": "true" });
    for (const [ns, name] of [
      [argocd, TEAM_PROJECTS_APPLICATION],
      [argocd, `tenant-${tenant}`],
      [apps, `${tenant}-vcluster`],
    ]) {
      const app = await kube(env, `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications/${name}`);
      expect(app.json.metadata.annotations, `${ns}/${name}`).toEqual({ "argocd.argoproj.io/refresh": "normal" });
    }
  });

  it("may patch no other ApplicationSet", async () => {
    const kc = await berthKubeConfig();
    const user = kc.getCurrentUser()!;
    const r = await kube(env, `${APPSETS}/someone-elses`, {
      method: "PATCH",
      contentType: "application/merge-patch+json",
      body: { metadata: { annotations: { x: "y" } } },
      auth: { bearer: String(user.token) },
    });
    expect(r.status, r.text).toBe(403);
  });

  it("still works before bootstrap/ was applied (no ApplicationSet, no team projects)", async () => {
    await expect(
      refreshTenant({
        kubeConfig: testKubeConfig(),
        argocdNamespace: `missing-${hex()}`,
        labelDomain: "berth.io",
        tenant,
      }),
    ).resolves.toBeUndefined();
  });
});
