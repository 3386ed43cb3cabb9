// POST /api/v1/requests/{id}/approve: a platform admin approves; Berth merges the pull request.
import { auditActorFor } from "@/lib/entry/session";
import { readJson, withApiViewer } from "@/lib/entry/api/handler";
import { decideFromApi } from "@/lib/entry/api/requests";
import { json } from "@/lib/entry/api/respond";
import { approveBody } from "@/lib/entry/api/schemas";

export const dynamic = "force-dynamic";

export const POST = withApiViewer<{ id: string }>(async ({ viewer, request, params }) => {
  const body = await readJson(request, approveBody, { optional: true });
  return json(
    await decideFromApi(viewer, await auditActorFor(viewer), params.id, { kind: "approve", comment: body.comment }),
  );
});
