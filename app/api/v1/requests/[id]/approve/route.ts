// POST /api/v1/requests/{id}/approve: a platform admin approves; Berth merges the pull request.
import { auditActorFor } from "@/lib/auth/session";
import { readJson, withApiViewer } from "@/lib/api/handler";
import { decideFromApi } from "@/lib/api/requests";
import { json } from "@/lib/api/respond";
import { approveBody } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const POST = withApiViewer<{ id: string }>(async ({ viewer, request, params }) => {
  const body = await readJson(request, approveBody, { optional: true });
  return json(
    await decideFromApi(viewer, await auditActorFor(viewer), params.id, { kind: "approve", comment: body.comment }),
  );
});
