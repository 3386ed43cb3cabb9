// POST /api/v1/previews renders a create or update request without submitting it and returns its fingerprint.
import { readJson, withApiViewer } from "@/lib/entry/api/handler";
import { previewFromApi } from "@/lib/entry/api/previews";
import { json } from "@/lib/entry/api/respond";
import { previewBody } from "@/lib/entry/api/schemas";

export const dynamic = "force-dynamic";

export const POST = withApiViewer(async ({ viewer, request }) => {
  const body = await readJson(request, previewBody);
  return json(await previewFromApi(viewer, body));
});
