// POST /api/v1/requests/{id}/reject: a platform admin closes the pull request with a reason.
import { auditActorFor } from "@/lib/auth/session";
import { readJson, withApiViewer } from "@/lib/api/handler";
import { decideFromApi } from "@/lib/api/requests";
import { json } from "@/lib/api/respond";
import { rejectBody } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const POST = withApiViewer<{ id: string }>(async ({ viewer, request, params }) => {
  const body = await readJson(request, rejectBody);
  return json(
    await decideFromApi(viewer, await auditActorFor(viewer), params.id, { kind: "reject", reason: body.reason }),
  );
});
