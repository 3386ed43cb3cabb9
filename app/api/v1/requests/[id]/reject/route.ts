// POST /api/v1/requests/{id}/reject: a platform admin closes the pull request with a reason.
import { auditActorFor } from "@/lib/entry/session";
import { readJson, withApiViewer } from "@/lib/entry/api/handler";
import { decideFromApi } from "@/lib/entry/api/requests";
import { json } from "@/lib/entry/api/respond";
import { rejectBody } from "@/lib/entry/api/schemas";

export const dynamic = "force-dynamic";

export const POST = withApiViewer<{ id: string }>(async ({ viewer, request, params }) => {
  const body = await readJson(request, rejectBody);
  return json(
    await decideFromApi(viewer, await auditActorFor(viewer), params.id, { kind: "reject", reason: body.reason }),
  );
});
