import type { requests, tenants } from "@/db/schema";
import type { Prepared } from "@/lib/templates/prepare";

/** Where a tenant lands and what it has (db/schema.ts targetColumns): now, or once a request merges. */
export type TenantTarget = {
  placement: string;
  nodePool: string | null;
  cpuMillis: number;
  memoryMib: number;
  expiresAt: Date | null;
  outputs: Record<string, string>;
};

/** The target columns of tenants or requests, for a select. */
export function targetColumns<T extends typeof tenants | typeof requests>(t: T) {
  return {
    placement: t.placement,
    nodePool: t.nodePool,
    cpuMillis: t.cpuMillis,
    memoryMib: t.memoryMib,
    expiresAt: t.expiresAt,
    outputs: t.outputs,
  } as Pick<T, "placement" | "nodePool" | "cpuMillis" | "memoryMib" | "expiresAt" | "outputs">;
}

/** The target of a row selected with targetColumns (outputs is JSON in the database). */
export function targetOf(row: Omit<TenantTarget, "outputs"> & { outputs: unknown }): TenantTarget {
  return {
    placement: row.placement,
    nodePool: row.nodePool,
    cpuMillis: row.cpuMillis,
    memoryMib: row.memoryMib,
    expiresAt: row.expiresAt,
    outputs: row.outputs as Record<string, string>,
  };
}

/** What a validated and rendered tenant form becomes. */
export function preparedTarget(prepared: Prepared, expiresAt: Date | null): TenantTarget {
  return {
    placement: prepared.placement.name,
    nodePool: prepared.nodePool ?? null,
    cpuMillis: prepared.quota.cpuMillis,
    memoryMib: prepared.quota.memoryMib,
    expiresAt,
    outputs: prepared.rendered.outputs,
  };
}
