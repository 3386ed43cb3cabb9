import type { VclusterHostPlacement } from "@/lib/config/placements";

type Toleration = VclusterHostPlacement["nodePools"][number]["tolerations"][number];

/**
 * A toleration in vCluster's string form for `sync.toHost.pods.enforceTolerations`, which its
 * syncer parses with pkg/util/toleration.ParseToleration (vCluster v0.26): `key=value:Effect`
 * for operator Equal, `key:Effect` for Exists.
 */
export function vclusterToleration(t: Toleration): string {
  return t.operator === "Exists" ? `${t.key}:${t.effect}` : `${t.key}=${t.value ?? ""}:${t.effect}`;
}
