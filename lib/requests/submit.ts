import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { requests, requestTransitions, teams, tenants, type RequestAction } from "@/db/schema";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db, Tx } from "@/lib/db";
import { transactionWithOutbox, type SqlExecutor } from "@/lib/db/transaction";
import { enqueueOpenPullRequest } from "@/lib/jobs/queue";
import { FieldError, isUniqueViolation } from "@/lib/errors";
import type { FileChange } from "@/lib/gitops/types";
import type { Prepared } from "@/lib/templates/prepare";
import { previewTenant, type TenantForm } from "@/lib/templates/service";
import { preparedTarget, type TenantTarget } from "@/lib/tenants/target";
import { checkQuota } from "./quota";
import { requestBranch } from "./pr-text";
import { assertAsPreviewed, consumePreview, findPreview } from "./preview-store";

export type Submitted = { requestId: string; tenantName: string; autoApprove: boolean };

/**
 * Records a create request durably (tenant reserved, request submitted, audit event) in one
 * transaction. The pull request is opened afterwards by the job queue; nothing here calls a forge.
 */
export async function submitCreateRequest(opts: {
  db: Db;
  viewer: Viewer;
  actor: AuditActor;
  form: TenantForm;
  // The preview this submit claims to be: refused unless rendering the form again gives its files.
  previewFingerprint?: string;
}): Promise<Submitted> {
  const fingerprint = opts.previewFingerprint;
  const preview = fingerprint ? await findPreview(opts.db, opts.viewer, fingerprint, "create") : null;
  // The preview's id and expiry are part of the files (labels, tenant.yaml), so they are reused.
  const requestId = preview?.requestId ?? randomUUID();
  const prepared = await previewTenant({
    db: opts.db,
    viewer: opts.viewer,
    form: opts.form,
    requestId,
    expiresAt: preview?.tenantExpiresAt,
  });
  if (fingerprint) assertAsPreviewed(fingerprint, prepared.rendered.files);
  return recordCreateRequest({
    requestId,
    prepared,
    teamSlug: opts.form.team,
    tenantName: opts.form.tenantName,
    viewer: opts.viewer,
    actor: opts.actor,
    previewFingerprint: fingerprint,
  });
}

/** What a request records of its template: the version and the approval policy it was submitted under. */
export function requestTemplate(template: {
  name: string;
  version: string;
  policy: { autoApprove: boolean; selfApproval: boolean };
}) {
  const { autoApprove, selfApproval } = template.policy;
  return { name: template.name, version: template.version, autoApprove, selfApproval };
}

/** The durable part of a create request, for an already validated and rendered tenant. */
export async function recordCreateRequest(opts: {
  requestId: string;
  prepared: Prepared;
  teamSlug: string;
  tenantName: string;
  viewer: Viewer;
  actor: AuditActor;
  previewFingerprint?: string;
}): Promise<Submitted> {
  const { requestId, prepared } = opts;
  const { template } = prepared;
  const placement = [prepared.placement.name, prepared.nodePool].filter(Boolean).join("/");
  try {
    return await transactionWithOutbox(async (tx, outbox) => {
      // Serialises submissions per team, so two concurrent ones cannot both squeeze under the quota.
      const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, opts.teamSlug)).for("update");
      if (!team) throw new FieldError("team", `Team "${opts.teamSlug}" does not exist.`);
      await checkQuota({
        tx,
        teamId: team.id,
        ownerId: opts.viewer.id,
        perUser: template.policy.perUser,
        add: prepared.quota,
      });
      const target = preparedTarget(prepared, prepared.expiresAt ? new Date(prepared.expiresAt) : null);
      const [tenant] = await tx
        .insert(tenants)
        .values({
          name: opts.tenantName,
          teamId: team.id,
          ownerId: opts.viewer.id,
          kind: template.kind,
          templateName: template.name,
          templateVersion: template.version,
          parameters: prepared.params,
          // Outputs (URLs…) are the tenant's once its request merges.
          ...target,
          outputs: {},
        })
        .returning({ id: tenants.id });
      await recordRequest(tx, outbox, {
        requestId,
        tenantId: tenant!.id,
        teamId: team.id,
        action: "create",
        requestedBy: opts.viewer.id,
        actor: opts.actor,
        template: requestTemplate(template),
        params: prepared.params,
        changes: prepared.rendered.files,
        previewFingerprint: opts.previewFingerprint,
        audit: { tenant: opts.tenantName, placement },
        target,
      });
      return { requestId, tenantName: opts.tenantName, autoApprove: template.policy.autoApprove };
    });
  } catch (err) {
    if (isUniqueViolation(err, "tenants_live_name_idx"))
      throw new FieldError(
        "tenantName",
        `The name "${opts.tenantName}" is taken; tenant names are unique across Berth.`,
      );
    throw err;
  }
}

/** Inserts a submitted request with its first transition and audit event (inside the caller's transaction). */
export async function recordRequest(
  tx: Db | Tx,
  outbox: SqlExecutor,
  r: {
    requestId: string;
    tenantId: string;
    teamId: string;
    action: RequestAction;
    requestedBy: string;
    actor: AuditActor;
    template: { name: string; version: string; autoApprove: boolean; selfApproval: boolean };
    params: Record<string, unknown>;
    changes: FileChange[];
    // Set when submitted from a preview: stored, and the preview is used up with this request.
    previewFingerprint?: string;
    audit: Record<string, unknown>;
    // What the tenant becomes once merged (for updates: the new size, placement and expiry).
    target: TenantTarget;
  },
): Promise<void> {
  try {
    await tx.insert(requests).values({
      id: r.requestId,
      tenantId: r.tenantId,
      action: r.action,
      requestedBy: r.requestedBy,
      templateName: r.template.name,
      templateVersion: r.template.version,
      parameters: r.params,
      changes: r.changes,
      autoApprove: r.template.autoApprove,
      selfApproval: r.template.selfApproval,
      branch: requestBranch(r.requestId),
      previewFingerprint: r.previewFingerprint ?? null,
      ...r.target,
    });
  } catch (err) {
    if (isUniqueViolation(err, "requests_one_open_per_tenant_idx"))
      throw new FieldError("tenant", "Another request for this tenant is still open; wait for it or cancel it first.");
    throw err;
  }
  if (r.previewFingerprint) await consumePreview(tx, r.requestedBy, r.previewFingerprint);
  await tx.insert(requestTransitions).values({
    requestId: r.requestId,
    fromState: null,
    toState: "submitted",
    actorId: r.actor.id,
    actorLabel: r.actor.label,
  });
  await recordAuditEvent(tx, {
    actor: r.actor,
    action: "request.submitted",
    subjectType: "request",
    subjectId: r.requestId,
    teamId: r.teamId,
    before: null,
    after: {
      action: r.action,
      template: `${r.template.name}@${r.template.version}`,
      parameters: r.params,
      previewFingerprint: r.previewFingerprint ?? null,
      ...r.audit,
    },
  });
  // The job is committed with the request or not at all: no accepted request without its job.
  await enqueueOpenPullRequest(r.requestId, outbox);
}
