// GET /api/v1/requests/{id}: one request with its timeline, changes and pull request; 404 when not visible.
import { withApiViewer } from "@/lib/entry/api/handler";
import { detailFromApi } from "@/lib/entry/api/requests";
import { json } from "@/lib/entry/api/respond";

export const dynamic = "force-dynamic";

export const GET = withApiViewer<{ id: string }>(async ({ viewer, params }) =>
  json(await detailFromApi(viewer, params.id)),
);
