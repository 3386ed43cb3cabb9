import "server-only";
import { KubeConfig } from "@kubernetes/client-node";
import type { Config } from "@/lib/config";

/** The management cluster's credentials, or null when none is configured (status then says so). */
export function loadKubeConfig(cluster: Config["cluster"]): KubeConfig | null {
  if (cluster.mode === "none") return null;
  const kc = new KubeConfig();
  if (cluster.mode === "in-cluster") {
    kc.loadFromCluster();
    return kc;
  }
  if (!cluster.kubeconfig) throw new Error("BERTH_KUBECONFIG is required in kubeconfig mode");
  kc.loadFromFile(cluster.kubeconfig);
  // A kubeconfig often holds several clusters; an explicit context keeps Berth off the wrong one.
  if (cluster.context) kc.setCurrentContext(cluster.context);
  if (!kc.getCurrentCluster()) throw new Error(`kubeconfig ${cluster.kubeconfig} has no current cluster`);
  return kc;
}
