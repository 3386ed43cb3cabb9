import "server-only";
import { randomUUID } from "node:crypto";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";
import type { FileChange } from "@/lib/gitops/types";
import { fingerprintChanges } from "@/lib/templates/fingerprint";
import type { RenderedFile } from "@/lib/templates/render";
import { previewTenant, type TenantForm } from "@/lib/templates/service";
import { prepareUpdate } from "./change";
import { diffChanges, type FileDiff } from "./diff";
import { recordPreview } from "./preview-store";
import { findChangeableTenant } from "@/lib/tenants/changeable";

export type RequestPreview = {
  // What a submit of these values must render again, byte for byte, to be accepted.
  fingerprint: string;
  validUntil: string;
  files: RenderedFile[];
  // Updates: files of the tenant the change deletes.
  deletes: string[];
  outputs: Record<string, string>;
  expiresAt: string | null;
  template: string;
  // Updates: what the change does to the tenant's files in Git (the approver sees the same).
  diff: FileDiff[] | null;
};

export type PreviewInput =
  | { action: "create"; form: TenantForm }
  | { action: "update"; tenantName: string; version?: string; placement?: string; fields: Record<string, string> };

/**
 * Renders a request exactly as it would be submitted — under the id it will have, with the expiry
 * it will have — and keeps its fingerprint, so the submit can be checked against it.
 */
export async function previewRequest(opts: { db: Db; viewer: Viewer; input: PreviewInput }): Promise<RequestPreview> {
  const { db, viewer, input } = opts;
  const requestId = randomUUID();
  let changes: FileChange[];
  let base: string | null = null;
  let diff: FileDiff[] | null = null;
  let prepared: Awaited<ReturnType<typeof previewTenant>>;
  if (input.action === "create") {
    prepared = await previewTenant({ db, viewer, form: input.form, requestId });
    changes = prepared.rendered.files;
  } else {
    const tenant = await findChangeableTenant(db, viewer, input.tenantName, "tenant.change");
    const update = await prepareUpdate({ ...input, db, viewer, tenant, requestId, expiresAt: tenant.expiresAt });
    ({ prepared, changes, base } = update);
    diff = diffChanges(update.previous, changes).filter((f) => f.status !== "unchanged");
  }
  const fingerprint = fingerprintChanges(changes);
  const validUntil = await recordPreview(db, {
    requestId,
    viewer,
    action: input.action,
    fingerprint,
    tenantExpiresAt: prepared.expiresAt,
    baseFingerprint: base,
  });
  return {
    fingerprint,
    validUntil: validUntil.toISOString(),
    files: prepared.rendered.files,
    deletes: changes.filter((c) => "delete" in c).map((c) => c.path),
    outputs: prepared.rendered.outputs,
    expiresAt: prepared.expiresAt,
    template: `${prepared.template.name}@${prepared.template.version}`,
    diff,
  };
}
