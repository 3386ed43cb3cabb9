// bootstrap/team-projects/: a small Helm chart Argo CD renders from every tenant's
// tenants/<t>/argocd-project.yaml (a glob in the Application's valueFiles). Each file holds only
// its own tenant's entry, so pull requests of one team never conflict, and the team's AppProject
// is the union of what its tenants' templates declared. Names match lib/gitops/argocd-names.ts.

const chartYaml = `apiVersion: v2
name: berth-team-projects
description: One Argo CD AppProject and Applications namespace per team, from tenants/*/argocd-project.yaml.
type: application
version: 1.0.0
`;

const valuesYaml = `# Set by bootstrap/team-projects-app.yaml; tenants comes from tenants/*/argocd-project.yaml.
argocdNamespace: argocd
gitopsRepo: ""
labelDomain: berth.io
inClusterServer: https://kubernetes.default.svc
tenants: {}
`;

// Helm (sprig) template. A team's project accepts Applications only from the team's namespace
// (sourceNamespaces), deploys only where its tenants' templates said, from the GitOps repository and
// the chart repositories they named, and creates only the cluster-scoped objects they listed.
const projectsYaml = `{{- $teams := dict -}}
{{- range $tenant, $t := .Values.tenants -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" (toString $t.team)) -}}
{{- fail (printf "tenants.%s.team %q is not a team slug" $tenant (toString $t.team)) -}}
{{- end -}}
{{- $_ := set $teams $t.team (append (get $teams $t.team | default list) $tenant) -}}
{{- end -}}
{{- range $team, $names := $teams }}
{{- $appNamespace := printf "berth-apps-%s" $team -}}
{{- $repos := list $.Values.gitopsRepo -}}
{{- $destinations := list (dict "server" $.Values.inClusterServer "namespace" $appNamespace) -}}
{{- $clusterResources := list -}}
{{- range $names -}}
{{- $t := index $.Values.tenants . -}}
{{- $repos = concat $repos ($t.sourceRepos | default list) -}}
{{- $destinations = concat $destinations ($t.destinations | default list) -}}
{{- $clusterResources = concat $clusterResources ($t.clusterResources | default list) -}}
{{- end }}
---
apiVersion: v1
kind: Namespace
metadata:
  name: {{ $appNamespace }}
  labels:
    app.kubernetes.io/managed-by: berth
    {{ $.Values.labelDomain }}/team: {{ $team | quote }}
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: berth-team-{{ $team }}
  namespace: {{ $.Values.argocdNamespace }}
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
  # Argo CD keeps the project until no Application uses it (decommission prunes first).
  finalizers:
    - resources-finalizer.argocd.argoproj.io
  labels:
    app.kubernetes.io/managed-by: berth
    {{ $.Values.labelDomain }}/team: {{ $team | quote }}
spec:
  description: {{ printf "Tenants of team %s, requested through Berth" $team | quote }}
  sourceNamespaces:
    - {{ $appNamespace }}
  sourceRepos: {{- $repos | uniq | toYaml | nindent 4 }}
  destinations: {{- $destinations | uniq | toYaml | nindent 4 }}
  clusterResourceWhitelist: {{- $clusterResources | uniq | toYaml | nindent 4 }}
{{- end }}
`;

/** The chart's files under bootstrap/team-projects/. */
export const TEAM_PROJECTS_CHART: Record<string, string> = {
  "Chart.yaml": chartYaml,
  "values.yaml": valuesYaml,
  "templates/projects.yaml": projectsYaml,
};
