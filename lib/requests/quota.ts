import "server-only";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { teamQuotas, tenants } from "@/db/schema";
import { getConfig } from "@/lib/config";
import type { Db, Tx } from "@/lib/db";
import { FieldError } from "@/lib/errors";
import { formatCpu, formatMemory } from "@/lib/templates/quantity";

const LIVE = ["pending", "active", "decommissioning"] as const;

export type QuotaUsage = { tenants: number; cpuMillis: number; memoryMib: number };
export type QuotaLimits = { maxTenants: number; maxCpuMillis: number; maxMemoryMib: number };

export async function teamQuota(tx: Db | Tx, teamId: string): Promise<{ usage: QuotaUsage; limits: QuotaLimits }> {
  const defaults = getConfig().quotas;
  const [[override], [usage]] = await Promise.all([
    tx
      .select({
        maxTenants: teamQuotas.maxTenants,
        maxCpuMillis: teamQuotas.maxCpuMillis,
        maxMemoryMib: teamQuotas.maxMemoryMib,
      })
      .from(teamQuotas)
      .where(eq(teamQuotas.teamId, teamId)),
    tx
      .select({
        tenants: count(),
        cpuMillis: sql<number>`coalesce(sum(${tenants.cpuMillis}), 0)::int`,
        memoryMib: sql<number>`coalesce(sum(${tenants.memoryMib}), 0)::int`,
      })
      .from(tenants)
      .where(and(eq(tenants.teamId, teamId), inArray(tenants.lifecycle, [...LIVE]), sql`${tenants.kind} <> 'sandbox'`)),
  ]);
  return {
    usage: {
      tenants: Number(usage?.tenants ?? 0),
      cpuMillis: Number(usage?.cpuMillis ?? 0),
      memoryMib: Number(usage?.memoryMib ?? 0),
    },
    limits: override ?? {
      maxTenants: defaults.tenantsPerTeam,
      maxCpuMillis: defaults.cpuMillisPerTeam,
      maxMemoryMib: defaults.memoryMibPerTeam,
    },
  };
}

/**
 * Refuses a request that would exceed its team's (or, for sandboxes, its owner's) quota. Runs
 * inside the submit transaction after locking the team row, so concurrent submissions queue.
 * `replacing` is the current size of a tenant being changed, which the change gives back.
 */
export async function checkQuota(opts: {
  tx: Db | Tx;
  teamId: string;
  ownerId: string;
  perUser: boolean;
  add: { cpuMillis: number; memoryMib: number };
  replacing?: { cpuMillis: number; memoryMib: number };
}): Promise<void> {
  const { tx } = opts;
  if (opts.perUser) {
    if (opts.replacing) return;
    const limit = getConfig().quotas.sandboxesPerUser;
    const [row] = await tx
      .select({ n: count() })
      .from(tenants)
      .where(
        and(eq(tenants.ownerId, opts.ownerId), eq(tenants.kind, "sandbox"), inArray(tenants.lifecycle, [...LIVE])),
      );
    if (Number(row?.n ?? 0) >= limit)
      throw new FieldError(
        "template",
        `You already have ${limit === 1 ? "a sandbox" : `${limit} sandboxes`}; the limit is ${limit} per ` +
          `person (BERTH_QUOTA_SANDBOXES_PER_USER). Destroy one first.`,
      );
    return;
  }
  const { usage, limits } = await teamQuota(tx, opts.teamId);
  const back = opts.replacing ?? { cpuMillis: 0, memoryMib: 0 };
  if (!opts.replacing && usage.tenants + 1 > limits.maxTenants) {
    throw new FieldError("team", `Team quota reached: ${usage.tenants} of ${limits.maxTenants} tenants in use.`);
  }
  const cpu = usage.cpuMillis - back.cpuMillis + opts.add.cpuMillis;
  if (cpu > limits.maxCpuMillis)
    throw new FieldError(
      "param.size",
      `Team CPU quota exceeded: this needs ${formatCpu(opts.add.cpuMillis)}, the team uses ` +
        `${formatCpu(usage.cpuMillis - back.cpuMillis)} of ${formatCpu(limits.maxCpuMillis)} cores.`,
    );
  const mem = usage.memoryMib - back.memoryMib + opts.add.memoryMib;
  if (mem > limits.maxMemoryMib)
    throw new FieldError(
      "param.size",
      `Team memory quota exceeded: this needs ${formatMemory(opts.add.memoryMib)}, the team uses ` +
        `${formatMemory(usage.memoryMib - back.memoryMib)} of ${formatMemory(limits.maxMemoryMib)}.`,
    );
}
