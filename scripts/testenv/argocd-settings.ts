// What Argo CD in core mode does not create itself: the namespace, its settings objects (the
// ConfigMaps and Secret of Argo CD's own core-install.yaml, from the module cache), the
// server.secretkey, an AppProject and the Gitea GitOps repository as a repository Secret.
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { apply, type KubeClient, type KubeObject } from "./kube-api";
import type { GiteaEnv } from "./types";
import { randomSecret } from "./util";

export const ARGOCD_NAMESPACE = "argocd";
export const ARGOCD_PROJECT = "default";
const PART_OF = { "app.kubernetes.io/part-of": "argocd" };
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** The ConfigMaps and Secrets of core-install.yaml, in the argocd namespace. */
export function coreSettings(argocdDir: string): KubeObject[] {
  const text = fs.readFileSync(path.join(argocdDir, "core-install.yaml"), "utf8");
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o && (o.kind === "ConfigMap" || o.kind === "Secret"))
    .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: ARGOCD_NAMESPACE } }));
}

export async function applyArgocdSettings(kube: KubeClient, argocdDir: string, gitea: GiteaEnv): Promise<void> {
  await apply(kube, { apiVersion: "v1", kind: "Namespace", metadata: { name: ARGOCD_NAMESPACE } });
  for (const obj of coreSettings(argocdDir)) {
    // Without server.secretkey the ApplicationSet controller disables its webhook.
    if (obj.kind === "Secret" && obj.metadata.name === "argocd-secret") {
      obj.data = { ...(obj.data as Record<string, string> | undefined), "server.secretkey": b64(randomSecret(32)) };
    }
    await apply(kube, obj);
  }
  await apply(kube, {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: ARGOCD_PROJECT, namespace: ARGOCD_NAMESPACE },
    spec: {
      sourceRepos: ["*"],
      destinations: [{ server: "*", namespace: "*" }],
      clusterResourceWhitelist: [{ group: "*", kind: "*" }],
    },
  });
  // Argo CD clones the GitOps repository over http with the admin's token, as it would a private one.
  await apply(kube, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: "repo-gitea-gitops",
      namespace: ARGOCD_NAMESPACE,
      labels: { ...PART_OF, "argocd.argoproj.io/secret-type": "repository" },
    },
    type: "Opaque",
    data: {
      type: b64("git"),
      name: b64(gitea.repo),
      url: b64(gitea.cloneUrl),
      username: b64(gitea.admin.username),
      password: b64(gitea.token),
    },
  });
}
