// POST /api/v1/requests/{id}/cancel: the requester (or a platform admin) withdraws an open request.
import { auditActorFor } from "@/lib/entry/session";
import { withApiViewer } from "@/lib/entry/api/handler";
import { decideFromApi } from "@/lib/entry/api/requests";
import { json } from "@/lib/entry/api/respond";

export const dynamic = "force-dynamic";

export const POST = withApiViewer<{ id: string }>(async ({ viewer, params }) =>
  json(await decideFromApi(viewer, await auditActorFor(viewer), params.id, { kind: "cancel" })),
);
