import { stringify } from "yaml";
import type { Config } from "@/lib/config";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db";
import { bootstrapObjects } from "./bootstrap-manifests";
import { TEAM_PROJECTS_CHART } from "./team-projects-chart";
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

/**
 * bootstrap/: Argo CD settings (health checks, Applications in the teams' namespaces), the platform
 * project, the chart that makes one AppProject per team, the ApplicationSet that turns
 * tenants/<t>/tenant.yaml into Applications, and the Application that keeps bootstrap/ in sync.
 */
export function bootstrapFiles(config: Config): FileChange[] {
  const objects = bootstrapObjects({
    repoURL: cloneUrl(config),
    revision: config.gitops.baseBranch,
    labelDomain: config.labelDomain,
    argocdNamespace: config.cluster.argocdNamespace,
  });
  return [
    ...Object.entries(objects).map(([path, docs]) => ({ path, content: docs.map(yaml).join("---\n") })),
    ...Object.entries(TEAM_PROJECTS_CHART).map(([file, content]) => ({
      path: `bootstrap/team-projects/${file}`,
      content,
    })),
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
    body: "Adds `bootstrap/`: Argo CD health checks and settings, the `berth-platform` project, `team-projects` (one AppProject per team, from every `tenants/<tenant>/argocd-project.yaml`), and the `berth-tenants` ApplicationSet that turns every `tenants/<tenant>/tenant.yaml` into an Argo CD Application in its team's project.\n\nApply it once with `kubectl apply --server-side -f bootstrap/` (not recursive) and restart `argocd-server` and `argocd-application-controller`; the `berth-bootstrap` Application keeps it in sync afterwards.",
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
