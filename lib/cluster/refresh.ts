import "server-only";
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";

/**
 * Asks Argo CD to re-read Git for one Application now instead of at its next 3-minute poll.
 * Returns false when the Application does not exist (yet): the ApplicationSet may not have
 * generated it, and Argo CD picks a new one up on its own.
 */
export async function requestArgoRefresh(opts: {
  kubeConfig: KubeConfig;
  namespace: string;
  applicationName: string;
}): Promise<boolean> {
  const api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
  try {
    await api.patchNamespacedCustomObject(
      {
        group: "argoproj.io",
        version: "v1alpha1",
        plural: "applications",
        namespace: opts.namespace,
        name: opts.applicationName,
        body: { metadata: { annotations: { "argocd.argoproj.io/refresh": "normal" } } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    return true;
  } catch (err) {
    if ((err as { code?: number })?.code === 404) return false;
    throw err;
  }
}
