import { randomUUID } from "node:crypto";
import { and, desc, eq, lt } from "drizzle-orm";
import { requests, teams } from "@/db/schema";
import type { AuditActor } from "@/lib/audit/record";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db, Tx } from "@/lib/db";
import { transactionWithOutbox } from "@/lib/db/transaction";
import { FieldError } from "@/lib/errors";
import type { FileChange } from "@/lib/gitops/types";
import { PROJECT_VALUES_FILE } from "@/lib/templates/argocd-names";
import { findTemplate, getCatalog } from "@/lib/templates/catalog";
import { previewTenant } from "@/lib/templates/service";
import { checkQuota } from "./quota";
import { findChangeableTenant, recordRequest, type Submitted } from "./submit";

/** Files the tenant has in the GitOps repository: those of its last merged request (before a given one). */
export async function currentFiles(db: Db | Tx, tenantId: string, before?: Date): Promise<Map<string, string>> {
  const [last] = await db
    .select({ changes: requests.changes })
    .from(requests)
    .where(
      and(
        eq(requests.tenantId, tenantId),
        eq(requests.state, "merged"),
        before ? lt(requests.createdAt, before) : undefined,
      ),
    )
    .orderBy(desc(requests.updatedAt))
    .limit(1);
  const files = new Map<string, string>();
  for (const c of (last?.changes ?? []) as FileChange[]) if (!("delete" in c)) files.set(c.path, c.content);
  return files;
}

/**
 * A decommission removes the tenant's folder, except its part of the team's AppProject: Argo CD
 * deletes only objects the project still permits, so the permission must outlive the pruning. (A
 * later tenant of that name rewrites the file.)
 */
async function decommissionChanges(db: Db, tenant: { id: string; name: string }): Promise<FileChange[]> {
  const keep = `tenants/${tenant.name}/${PROJECT_VALUES_FILE}`;
  const files = await currentFiles(db, tenant.id);
  if (!files.has(keep)) return [{ path: `tenants/${tenant.name}/`, delete: true }];
  return [...files.keys()].filter((p) => p !== keep).map((path) => ({ path, delete: true as const }));
}

/** A change of size, options or template version: the PR rewrites the tenant's files and removes stale ones. */
export async function submitUpdateRequest(opts: {
  db: Db;
  viewer: Viewer;
  actor: AuditActor;
  tenantName: string;
  version?: string;
  placement?: string;
  fields: Record<string, string>;
  expiresAt?: Date;
}): Promise<Submitted> {
  const tenant = await findChangeableTenant(opts.db, opts.viewer, opts.tenantName, "member");
  const requestId = randomUUID();
  const expiresAt = opts.expiresAt ?? tenant.expiresAt;
  const prepared = await previewTenant({
    db: opts.db,
    viewer: opts.viewer,
    requestId,
    expiresAt: expiresAt?.toISOString() ?? null,
    form: {
      template: tenant.templateName,
      version: opts.version ?? tenant.templateVersion,
      team: tenant.team,
      tenantName: tenant.name,
      placement: opts.placement ?? [tenant.placement, tenant.nodePool].filter(Boolean).join("/"),
      fields: opts.fields,
    },
  });
  const previous = await currentFiles(opts.db, tenant.id);
  const rendered = new Set(prepared.rendered.files.map((f) => f.path));
  const changes: FileChange[] = [
    ...prepared.rendered.files,
    ...[...previous.keys()].filter((p) => !rendered.has(p)).map((path) => ({ path, delete: true as const })),
  ];
  const { template } = prepared;
  const requestIdOut = await transactionWithOutbox(async (tx, outbox) => {
    await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, tenant.teamId)).for("update");
    await checkQuota({
      tx,
      teamId: tenant.teamId,
      ownerId: tenant.ownerId,
      perUser: template.policy.perUser,
      add: prepared.quota,
      replacing: { cpuMillis: tenant.cpuMillis, memoryMib: tenant.memoryMib },
    });
    await recordRequest(tx, outbox, {
      requestId,
      tenantId: tenant.id,
      teamId: tenant.teamId,
      action: "update",
      requestedBy: opts.viewer.id,
      actor: opts.actor,
      template: {
        name: template.name,
        version: template.version,
        autoApprove: template.policy.autoApprove,
        selfApproval: template.policy.selfApproval,
      },
      params: prepared.params,
      changes,
      audit: {
        tenant: tenant.name,
        from: `${tenant.templateName}@${tenant.templateVersion}`,
        previousParameters: tenant.parameters,
      },
      target: {
        placement: prepared.placement.name,
        nodePool: prepared.nodePool ?? null,
        ...prepared.quota,
        expiresAt,
        outputs: prepared.rendered.outputs,
      },
    });
    return requestId;
  });
  return { requestId: requestIdOut, tenantName: tenant.name, autoApprove: template.policy.autoApprove };
}

/** Decommission: a PR deleting tenants/<tenant>/; Argo CD prunes what it created once merged. */
export async function submitDecommissionRequest(opts: {
  db: Db;
  viewer: Viewer;
  actor: AuditActor;
  tenantName: string;
  reason?: string;
}): Promise<Submitted> {
  const tenant = await findChangeableTenant(opts.db, opts.viewer, opts.tenantName, "owner");
  const template = findTemplate(await getCatalog(), tenant.templateName, tenant.templateVersion);
  if (!template)
    throw new FieldError(
      "tenant",
      `Template ${tenant.templateName}@${tenant.templateVersion} is no longer in the catalog; ask a platform admin.`,
    );
  const requestId = randomUUID();
  const changes = await decommissionChanges(opts.db, tenant);
  await transactionWithOutbox(async (tx, outbox) => {
    await recordRequest(tx, outbox, {
      requestId,
      tenantId: tenant.id,
      teamId: tenant.teamId,
      action: "decommission",
      requestedBy: opts.viewer.id,
      actor: opts.actor,
      template: {
        name: template.name,
        version: template.version,
        autoApprove: template.policy.autoApprove,
        selfApproval: template.policy.selfApproval,
      },
      params: tenant.parameters as Record<string, unknown>,
      changes,
      audit: { tenant: tenant.name, reason: opts.reason ?? null },
      target: {
        placement: tenant.placement,
        nodePool: tenant.nodePool,
        cpuMillis: tenant.cpuMillis,
        memoryMib: tenant.memoryMib,
        expiresAt: tenant.expiresAt,
        outputs: tenant.outputs as Record<string, string>,
      },
    });
  });
  return { requestId, tenantName: tenant.name, autoApprove: template.policy.autoApprove };
}
