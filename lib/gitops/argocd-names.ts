// Names Berth gives the Argo CD objects of a team. One AppProject per team confines its tenants'
// Applications; they live in the team's own Applications namespace, which only that project
// accepts (AppProject sourceNamespaces), so an Application naming another project is refused.
export const teamProject = (team: string) => `berth-team-${team}`;
export const teamAppNamespace = (team: string) => `berth-apps-${team}`;
// The argocd-cmd-params-cm `application.namespaces` glob that admits every team's namespace.
export const TEAM_APP_NAMESPACES_GLOB = "berth-apps-*";
// Written into each tenant's folder: Helm values for bootstrap/team-projects, not a Kubernetes object.
export const PROJECT_VALUES_FILE = "argocd-project.yaml";
