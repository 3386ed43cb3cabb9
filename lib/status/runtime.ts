import "server-only";
import { getConfig } from "@/lib/config";
import { getLogger } from "@/lib/log";

export type ClusterHandle = { refresh: (tenant: string) => Promise<void>; stop: () => Promise<void> };

const store = globalThis as typeof globalThis & { __berthCluster?: ClusterHandle | null };

export function setClusterHandle(handle: ClusterHandle | null): void {
  store.__berthCluster = handle;
}

/**
 * After a merge, ask Argo CD to refresh the tenant's Applications now rather than at its next
 * 3-minute Git poll. Best effort: a failure only costs the user that wait.
 */
export function refreshAfterMerge(tenant: string): void {
  const handle = store.__berthCluster;
  if (!handle || !getConfig().cluster.refreshOnMerge) return;
  handle
    .refresh(tenant)
    .catch((err: Error) => getLogger().warn({ tenant, err: err.message }, "Argo CD refresh failed"));
}
