import "server-only";
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";

/** Merge-patches annotations onto an Argo CD object; false when it does not exist (yet). */
export async function annotateArgoObject(opts: {
  kubeConfig: KubeConfig;
  plural: "applications" | "applicationsets";
  namespace: string;
  name: string;
  annotations: Record<string, string>;
}): Promise<boolean> {
  const api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
  try {
    await api.patchNamespacedCustomObject(
      {
        group: "argoproj.io",
        version: "v1alpha1",
        plural: opts.plural,
        namespace: opts.namespace,
        name: opts.name,
        body: { metadata: { annotations: opts.annotations } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    return true;
  } catch (err) {
    if ((err as { code?: number })?.code === 404) return false;
    throw err;
  }
}

/**
 * Asks Argo CD to re-read Git for one Application now instead of at its next 3-minute poll.
 * Returns false when the Application does not exist (yet): the ApplicationSet may not have
 * generated it, and Argo CD picks a new one up on its own.
 */
export function requestArgoRefresh(opts: {
  kubeConfig: KubeConfig;
  namespace: string;
  applicationName: string;
}): Promise<boolean> {
  return annotateArgoObject({
    kubeConfig: opts.kubeConfig,
    plural: "applications",
    namespace: opts.namespace,
    name: opts.applicationName,
    annotations: { "argocd.argoproj.io/refresh": "normal" },
  });
}
