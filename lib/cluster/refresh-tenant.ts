import "server-only";
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { annotateArgoObject, requestArgoRefresh } from "./refresh";

// Names bootstrap/ gives the objects a merge has to wake up (lib/gitops/bootstrap-manifests.ts).
export const TENANTS_APPLICATIONSET = "berth-tenants";
export const TEAM_PROJECTS_APPLICATION = "berth-team-projects";

/**
 * Asks the ApplicationSet controller to re-read Git now, so a tenant added by a merge gets its
 * Application at once instead of at the next 3-minute poll. The controller removes the
 * annotation when done. Returns false when the ApplicationSet does not exist.
 */
export function requestApplicationSetRefresh(opts: {
  kubeConfig: KubeConfig;
  namespace: string;
  name: string;
}): Promise<boolean> {
  return annotateArgoObject({
    ...opts,
    plural: "applicationsets",
    annotations: { "argocd.argoproj.io/application-set-refresh": "true" },
  });
}

/**
 * After a merge: the ApplicationSet (a new tenant's Application), the team projects (its part of
 * the team's AppProject), then every Application of the tenant, wherever it lives (the tenant's
 * own in Argo CD's namespace, its charts in the team's Applications namespace).
 */
export async function refreshTenant(opts: {
  kubeConfig: KubeConfig;
  argocdNamespace: string;
  labelDomain: string;
  tenant: string;
}): Promise<void> {
  const { kubeConfig, argocdNamespace: namespace } = opts;
  await Promise.all([
    requestApplicationSetRefresh({ kubeConfig, namespace, name: TENANTS_APPLICATIONSET }),
    requestArgoRefresh({ kubeConfig, namespace, applicationName: TEAM_PROJECTS_APPLICATION }),
  ]);
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const list = (await api.listCustomObjectForAllNamespaces({
    group: "argoproj.io",
    version: "v1alpha1",
    resourcePlural: "applications",
    labelSelector: `${opts.labelDomain}/tenant=${opts.tenant}`,
  })) as { items?: { metadata?: { name?: string; namespace?: string } }[] };
  await Promise.all(
    (list.items ?? []).map((a) =>
      requestArgoRefresh({
        kubeConfig,
        namespace: a.metadata?.namespace ?? "",
        applicationName: a.metadata?.name ?? "",
      }),
    ),
  );
}
