// POST /api/v1/previews: the API's "Preview manifests". Same rendering and checks as the form's preview.
import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { getDb } from "@/lib/db";
import type { FileChange } from "@/lib/gitops/types";
import { previewRequest } from "@/lib/requests/preview";
import { apiCreateForm, apiUpdateFields } from "./requests";
import type { PreviewBody } from "./schemas";

export type ApiPreview = {
  fingerprint: string;
  validUntil: string;
  template: string;
  expiresAt: string | null;
  outputs: Record<string, string>;
  changes: FileChange[];
};

/** Renders a create or update request and keeps its fingerprint for `previewFingerprint` on submit. */
export async function previewFromApi(viewer: Viewer, body: PreviewBody): Promise<ApiPreview> {
  const db = getDb();
  const input =
    body.action === "create"
      ? { action: "create" as const, form: await apiCreateForm(db, viewer, body) }
      : { action: "update" as const, ...(await apiUpdateFields(db, viewer, body)) };
  const p = await previewRequest({ db, viewer, input });
  return {
    fingerprint: p.fingerprint,
    validUntil: p.validUntil,
    template: p.template,
    expiresAt: p.expiresAt,
    outputs: p.outputs,
    changes: [...p.files, ...p.deletes.map((path) => ({ path, delete: true as const }))],
  };
}
