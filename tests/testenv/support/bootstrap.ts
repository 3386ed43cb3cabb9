// The platform team's one step in Argo CD: bootstrap/ committed to the GitOps repository and applied
// server-side once (not recursively: bootstrap/team-projects is the chart Argo CD renders). No Vitest
// imports, so benches use it too.
import { stringify } from "yaml";
import { bootstrapObjects } from "@/lib/gitops/bootstrap-manifests";
import { TEAM_PROJECTS_CHART } from "@/lib/gitops/team-projects-chart";
import { kube, type TestEnv } from "../env";
import { commit } from "../gitops";
import { type K8sObject, resourceFor } from "./dry-run";

/** `kubectl apply --server-side` of one object. */
export async function serverSideApply(env: TestEnv, o: K8sObject): Promise<void> {
  const res = await resourceFor(env, o.apiVersion, o.kind);
  if (!res) throw new Error(`${o.apiVersion} ${o.kind} is not served`);
  const base = o.apiVersion.includes("/") ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const where = res.namespaced ? `/namespaces/${o.metadata.namespace}` : "";
  const r = await kube(env, `${base}${where}/${res.name}/${o.metadata.name}?fieldManager=platform-team&force=true`, {
    method: "PATCH",
    body: o,
    contentType: "application/apply-patch+yaml",
  });
  if (r.status !== 200 && r.status !== 201) throw new Error(`apply ${o.kind}/${o.metadata.name}: ${r.text}`);
}

/** Commits bootstrap/ to the env's Gitea repository and applies it to the env's Argo CD. */
export async function applyBootstrap(env: TestEnv): Promise<void> {
  const objects = bootstrapObjects({
    repoURL: env.gitea.cloneUrl,
    revision: env.gitea.defaultBranch,
    labelDomain: "berth.io",
    argocdNamespace: env.argocd.namespace,
  });
  const yaml = (docs: unknown[]) => docs.map((d) => stringify(d, { lineWidth: 0 })).join("---\n");
  await commit(env, {
    message: "bootstrap/",
    write: {
      ...Object.fromEntries(Object.entries(objects).map(([p, docs]) => [p, yaml(docs)])),
      ...Object.fromEntries(Object.entries(TEAM_PROJECTS_CHART).map(([f, c]) => [`bootstrap/team-projects/${f}`, c])),
    },
  });
  for (const o of Object.values(objects).flat() as K8sObject[]) await serverSideApply(env, o);
}
