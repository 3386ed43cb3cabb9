import { stringify } from "yaml";
import type { Config } from "@/lib/config";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db";
import type { FileChange, GitOpsProvider, PullRequestState } from "./types";

export const BOOTSTRAP_BRANCH = "berth/bootstrap";

/** The URL Argo CD clones: configured, or derived from the forge settings. */
export function cloneUrl(config: Config): string {
  const g = config.gitops;
  if (g.cloneUrl) return g.cloneUrl;
  switch (g.provider) {
    case "local":
      return `file://${g.localPath}`;
    case "gitea":
      return `${g.url}/${g.repo}.git`;
    case "github":
      return `https://github.com/${g.repo}.git`;
    case "gitlab":
      return `${g.url ?? "https://gitlab.com"}/${g.repo}.git`;
    case "azure-devops": {
      const [org, project, repo] = (g.repo ?? "").split("/");
      return `${g.url ?? "https://dev.azure.com"}/${org}/${project}/_git/${repo}`;
    }
  }
}

const yaml = (doc: unknown) => stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });

/** bootstrap/: the AppProject tenants deploy under, and the ApplicationSet that turns tenants/* into Applications. */
export function bootstrapFiles(config: Config): FileChange[] {
  const repoURL = cloneUrl(config);
  const labels = { "app.kubernetes.io/managed-by": "berth" };
  const project = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: "berth-tenants", namespace: "argocd", labels },
    spec: {
      description: "Tenants requested through Berth",
      sourceRepos: ["*"],
      destinations: [{ server: "*", namespace: "*" }],
      clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
      namespaceResourceWhitelist: [{ group: "*", kind: "*" }],
    },
  };
  const appSet = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "berth-tenants", namespace: "argocd", labels },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [{ git: { repoURL, revision: config.gitops.baseBranch, directories: [{ path: "tenants/*" }] } }],
      template: {
        metadata: {
          name: "tenant-{{ .path.basename }}",
          labels: { ...labels, [`${config.labelDomain}/tenant`]: "{{ .path.basename }}" },
        },
        spec: {
          project: "berth-tenants",
          // tenant.yaml is Berth's own record, not a Kubernetes object.
          source: {
            repoURL,
            targetRevision: config.gitops.baseBranch,
            path: "{{ .path.path }}",
            directory: { exclude: "tenant.yaml" },
          },
          destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
        },
      },
    },
  };
  return [
    { path: "bootstrap/app-project.yaml", content: yaml(project) },
    { path: "bootstrap/tenants-applicationset.yaml", content: yaml(appSet) },
  ];
}

/** Opens (or finds) the pull request adding bootstrap/; idempotent like every Berth pull request. */
export async function openBootstrapPullRequest(opts: {
  db: Db;
  provider: GitOpsProvider;
  config: Config;
  actor: AuditActor;
}): Promise<PullRequestState> {
  const { provider } = opts;
  await provider.commitFiles({
    branch: BOOTSTRAP_BRANCH,
    base: provider.baseBranch,
    message: "[berth] bootstrap Argo CD for tenants/",
    author: { name: "Berth", email: "berth@noreply.invalid" },
    changes: bootstrapFiles(opts.config),
  });
  const pr = await provider.openPullRequest({
    head: BOOTSTRAP_BRANCH,
    base: provider.baseBranch,
    title: "[berth] bootstrap Argo CD for tenants/",
    labels: ["berth"],
    body: "Adds `bootstrap/`: the `berth-tenants` AppProject and an ApplicationSet whose git directory generator turns every `tenants/<tenant>/` into an Argo CD Application.\n\nApply `bootstrap/` once to the management cluster's Argo CD (or point an app-of-apps at it).",
  });
  await recordAuditEvent(opts.db, {
    actor: opts.actor,
    action: "gitops.bootstrap_opened",
    subjectType: "pull_request",
    subjectId: String(pr.number),
    after: { url: pr.url },
  });
  return pr;
}
