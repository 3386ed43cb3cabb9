import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { teams } from "@/db/schema";
import type { AuditActor } from "@/lib/audit/record";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";
import { transactionWithOutbox } from "@/lib/db/transaction";
import { FieldError } from "@/lib/errors";
import type { FileChange } from "@/lib/gitops/types";
import { PROJECT_VALUES_FILE } from "@/lib/gitops/argocd-names";
import { findTemplate, getCatalog } from "@/lib/templates/catalog";
import { previewTenant } from "@/lib/templates/service";
import { fingerprintChanges } from "@/lib/templates/fingerprint";
import { findChangeableTenant } from "@/lib/tenants/changeable";
import { currentFiles } from "@/lib/tenants/files";
import { preparedTarget, targetOf } from "@/lib/tenants/target";
import { assertAsPreviewed, findPreview, PREVIEW_FIELD } from "./preview-store";
import { checkQuota } from "./quota";
import { recordRequest, requestTemplate, type Submitted } from "./submit";

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

/** The tenant as findChangeableTenant loads it. */
export type ChangeableTenant = Awaited<ReturnType<typeof findChangeableTenant>>;

/**
 * Renders a change of a tenant and what its pull request does: rewrite the rendered files, delete
 * the tenant's files that are no longer rendered. The preview and the submit both come through here.
 */
export async function prepareUpdate(opts: {
  db: Db;
  viewer: Viewer;
  tenant: ChangeableTenant;
  requestId: string;
  version?: string;
  placement?: string;
  fields: Record<string, string>;
  expiresAt: Date | null;
}) {
  const { tenant } = opts;
  const prepared = await previewTenant({
    db: opts.db,
    viewer: opts.viewer,
    requestId: opts.requestId,
    expiresAt: opts.expiresAt?.toISOString() ?? null,
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
  // What the diff is made against: a request merged in between would make the preview's diff stale.
  const base = fingerprintChanges([...previous].map(([path, content]) => ({ path, content })));
  return { prepared, changes, previous, base };
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
  // The preview this submit claims to be: refused unless rendering the change again gives its files.
  previewFingerprint?: string;
}): Promise<Submitted> {
  const tenant = await findChangeableTenant(opts.db, opts.viewer, opts.tenantName, "tenant.change");
  const fingerprint = opts.previewFingerprint;
  const preview = fingerprint ? await findPreview(opts.db, opts.viewer, fingerprint, "update") : null;
  const requestId = preview?.requestId ?? randomUUID();
  const expiresAt = opts.expiresAt ?? tenant.expiresAt;
  const { prepared, changes, base } = await prepareUpdate({ ...opts, tenant, requestId, expiresAt });
  if (fingerprint) {
    assertAsPreviewed(fingerprint, changes);
    if (preview?.baseFingerprint !== base)
      throw new FieldError(
        PREVIEW_FIELD,
        "The tenant's files in Git changed since your preview (another request was merged), so its diff is out of date. Choose “Preview manifests” again.",
      );
  }
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
      template: requestTemplate(template),
      params: prepared.params,
      changes,
      previewFingerprint: fingerprint,
      audit: {
        tenant: tenant.name,
        from: `${tenant.templateName}@${tenant.templateVersion}`,
        previousParameters: tenant.parameters,
      },
      target: preparedTarget(prepared, expiresAt),
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
  const tenant = await findChangeableTenant(opts.db, opts.viewer, opts.tenantName, "tenant.decommission");
  const changes = await decommissionChanges(opts.db, tenant);
  const template = findTemplate(await getCatalog(), tenant.templateName, tenant.templateVersion);
  if (!template)
    throw new FieldError(
      "tenant",
      `Template ${tenant.templateName}@${tenant.templateVersion} is no longer in the catalog; ask a platform admin.`,
    );
  const requestId = randomUUID();
  await transactionWithOutbox(async (tx, outbox) => {
    await recordRequest(tx, outbox, {
      requestId,
      tenantId: tenant.id,
      teamId: tenant.teamId,
      action: "decommission",
      requestedBy: opts.viewer.id,
      actor: opts.actor,
      template: requestTemplate(template),
      params: tenant.parameters as Record<string, unknown>,
      changes,
      audit: { tenant: tenant.name, reason: opts.reason ?? null },
      target: targetOf(tenant),
    });
  });
  return { requestId, tenantName: tenant.name, autoApprove: template.policy.autoApprove };
}
