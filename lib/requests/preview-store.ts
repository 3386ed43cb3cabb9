// Previews kept so a submit can prove it is the previewed request: see db/migrations/0009.
import { and, eq, lt, sql } from "drizzle-orm";
import { requestPreviews } from "@/db/schema";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db, Tx } from "@/lib/db";
import { FieldError } from "@/lib/errors";
import type { FileChange } from "@/lib/gitops/types";
import { FINGERPRINT_PATTERN, fingerprintChanges } from "@/lib/templates/fingerprint";

/** How long a preview can be submitted; a sandbox's expiry is counted from its preview. */
export const PREVIEW_VALID_MINUTES = 60;

/** The form field (and API body field) that carries the fingerprint; errors are reported under it. */
export const PREVIEW_FIELD = "previewFingerprint";

export type StoredPreview = {
  requestId: string;
  action: "create" | "update";
  tenantExpiresAt: string | null;
  baseFingerprint: string | null;
};

const AGAIN = "Choose “Preview manifests” again, check the files, then submit.";

/** Keeps a preview under its fingerprint (and drops expired ones, so the table stays small). */
export async function recordPreview(
  db: Db,
  p: { requestId: string; viewer: Viewer; action: "create" | "update"; fingerprint: string } & Pick<
    StoredPreview,
    "tenantExpiresAt" | "baseFingerprint"
  >,
): Promise<Date> {
  await db
    .delete(requestPreviews)
    .where(lt(requestPreviews.createdAt, sql`now() - make_interval(mins => ${PREVIEW_VALID_MINUTES})`));
  const [row] = await db
    .insert(requestPreviews)
    .values({
      id: p.requestId,
      fingerprint: p.fingerprint,
      viewerId: p.viewer.id,
      action: p.action,
      tenantExpiresAt: p.tenantExpiresAt ? new Date(p.tenantExpiresAt) : null,
      baseFingerprint: p.baseFingerprint,
    })
    .returning({ createdAt: requestPreviews.createdAt });
  return new Date(row!.createdAt.getTime() + PREVIEW_VALID_MINUTES * 60_000);
}

/** The viewer's unexpired preview with this fingerprint, or a field error saying to preview again. */
export async function findPreview(
  db: Db | Tx,
  viewer: Viewer,
  fingerprint: string,
  action: "create" | "update",
): Promise<StoredPreview> {
  if (!FINGERPRINT_PATTERN.test(fingerprint))
    throw new FieldError(PREVIEW_FIELD, `This is not a preview fingerprint (sha256:<64 hex digits>). ${AGAIN}`);
  const [row] = await db
    .select({
      id: requestPreviews.id,
      action: requestPreviews.action,
      tenantExpiresAt: requestPreviews.tenantExpiresAt,
      baseFingerprint: requestPreviews.baseFingerprint,
      fresh: sql<boolean>`${requestPreviews.createdAt} > now() - make_interval(mins => ${PREVIEW_VALID_MINUTES})`,
    })
    .from(requestPreviews)
    .where(and(eq(requestPreviews.fingerprint, fingerprint), eq(requestPreviews.viewerId, viewer.id)));
  // Someone else's preview reads like an unknown one.
  if (!row || row.action !== action)
    throw new FieldError(
      PREVIEW_FIELD,
      `No preview of yours has this fingerprint, or it was submitted already. ${AGAIN}`,
    );
  if (!row.fresh)
    throw new FieldError(PREVIEW_FIELD, `Your preview is older than ${PREVIEW_VALID_MINUTES} minutes. ${AGAIN}`);
  return {
    requestId: row.id,
    action: row.action as "create" | "update",
    tenantExpiresAt: row.tenantExpiresAt?.toISOString() ?? null,
    baseFingerprint: row.baseFingerprint,
  };
}

/** Refuses a submit whose own rendering differs from the preview it names. */
export function assertAsPreviewed(fingerprint: string, changes: readonly FileChange[]): void {
  if (fingerprintChanges(changes) !== fingerprint)
    throw new FieldError(
      PREVIEW_FIELD,
      `The files this request would write differ from your preview: the form, the template or its placement changed since. ${AGAIN}`,
    );
}

/** Uses a preview up, in the transaction that records its request: a preview is submitted once. */
export async function consumePreview(tx: Db | Tx, viewerId: string, fingerprint: string): Promise<void> {
  const gone = await tx
    .delete(requestPreviews)
    .where(and(eq(requestPreviews.fingerprint, fingerprint), eq(requestPreviews.viewerId, viewerId)))
    .returning({ id: requestPreviews.id });
  if (gone.length === 0) throw new FieldError(PREVIEW_FIELD, `This preview was submitted already. ${AGAIN}`);
}
