import { TEAM_APP_NAMESPACES_GLOB, PROJECT_VALUES_FILE } from "@/lib/gitops/argocd-names";
import { HEALTH_CUSTOMIZATIONS } from "./argocd-health";

// What `kubectl apply --server-side -f bootstrap/` installs into the management cluster's Argo CD,
// once; from then on the berth-bootstrap Application keeps bootstrap/ itself in sync. Sync waves:
// settings and the platform project (-2), the team projects (-1), then the ApplicationSet (0).

export type BootstrapOptions = {
  repoURL: string;
  revision: string;
  labelDomain: string;
  argocdNamespace: string;
};

const IN_CLUSTER = "https://kubernetes.default.svc";
const managedBy = { "app.kubernetes.io/managed-by": "berth" };
const wave = (n: number) => ({ "argocd.argoproj.io/sync-wave": String(n) });
// Argo CD's own ConfigMaps: only Berth's keys are applied (server-side), never pruned or deleted.
const settingsSyncOptions = { "argocd.argoproj.io/sync-options": "ServerSideApply=true,Prune=false,Delete=false" };
const retry = { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } };

export function bootstrapObjects(o: BootstrapOptions): Record<string, unknown[]> {
  const ns = o.argocdNamespace;
  const platformProject = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: "berth-platform", namespace: ns, labels: managedBy, annotations: wave(-2) },
    spec: {
      description: "Berth's own Argo CD objects (bootstrap/): settings, team projects, the tenants ApplicationSet",
      sourceRepos: [o.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: ns }],
      // The teams' Applications namespaces, created by bootstrap/team-projects.
      clusterResourceWhitelist: [{ group: "", kind: "Namespace", name: TEAM_APP_NAMESPACES_GLOB }],
    },
  };
  const settings = [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "argocd-cm",
        namespace: ns,
        labels: { "app.kubernetes.io/name": "argocd-cm", "app.kubernetes.io/part-of": "argocd" },
        annotations: { ...wave(-2), ...settingsSyncOptions },
      },
      data: HEALTH_CUSTOMIZATIONS,
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "argocd-cmd-params-cm",
        namespace: ns,
        labels: { "app.kubernetes.io/name": "argocd-cmd-params-cm", "app.kubernetes.io/part-of": "argocd" },
        annotations: { ...wave(-2), ...settingsSyncOptions },
      },
      // Applications in any namespace, for the teams' namespaces only (read at start: restart
      // argocd-server and argocd-application-controller after the first apply).
      data: { "application.namespaces": TEAM_APP_NAMESPACES_GLOB },
    },
  ];
  const app = (name: string, annotations: Record<string, string>, source: Record<string, unknown>) => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name, namespace: ns, labels: managedBy, annotations },
    spec: {
      project: "berth-platform",
      source: { repoURL: o.repoURL, targetRevision: o.revision, ...source },
      destination: { server: IN_CLUSTER, namespace: ns },
      syncPolicy: { automated: { prune: true, selfHeal: true }, retry },
    },
  });
  const bootstrapApp = app("berth-bootstrap", {}, { path: "bootstrap", directory: { recurse: false } });
  const teamProjectsApp = app("berth-team-projects", wave(-1), {
    path: "bootstrap/team-projects",
    helm: {
      // Every tenant's part; none yet is fine.
      valueFiles: [`/tenants/*/${PROJECT_VALUES_FILE}`],
      ignoreMissingValueFiles: true,
      valuesObject: { argocdNamespace: ns, gitopsRepo: o.repoURL, labelDomain: o.labelDomain },
    },
  });
  const tenantLabel = `${o.labelDomain}/tenant`;
  const applicationSet = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "berth-tenants", namespace: ns, labels: managedBy, annotations: wave(0) },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      // tenant.yaml is Berth's record of the tenant; its spec.team picks the team's project.
      generators: [{ git: { repoURL: o.repoURL, revision: o.revision, files: [{ path: "tenants/*/tenant.yaml" }] } }],
      template: {
        metadata: {
          name: "tenant-{{ .path.basename }}",
          // Deleting the tenant deletes what it deployed (the domain-qualified spelling of Argo CD's default).
          finalizers: ["resources-finalizer.argocd.argoproj.io/foreground"],
          labels: {
            ...managedBy,
            [tenantLabel]: "{{ .path.basename }}",
            [`${o.labelDomain}/team`]: "{{ .spec.team }}",
          },
        },
        spec: {
          project: "berth-team-{{ .spec.team }}",
          source: {
            repoURL: o.repoURL,
            targetRevision: o.revision,
            path: "{{ .path.path }}",
            // Berth's record and the project values are not Kubernetes objects.
            directory: { exclude: `{tenant.yaml,${PROJECT_VALUES_FILE}}` },
          },
          // Every rendered object names its namespace; the default is the team's Applications namespace.
          destination: { server: IN_CLUSTER, namespace: "berth-apps-{{ .spec.team }}" },
          syncPolicy: { automated: { prune: true, selfHeal: true }, retry },
        },
      },
    },
  };
  return {
    "bootstrap/argocd-settings.yaml": settings,
    "bootstrap/platform-project.yaml": [platformProject],
    "bootstrap/berth-bootstrap.yaml": [bootstrapApp],
    "bootstrap/team-projects-app.yaml": [teamProjectsApp],
    "bootstrap/tenants-applicationset.yaml": [applicationSet],
  };
}
