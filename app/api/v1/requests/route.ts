// GET /api/v1/requests lists the caller's visible requests; POST submits a create, update or decommission request.
import { auditActorFor } from "@/lib/entry/session";
import { parseWith, readJson, withApiViewer } from "@/lib/entry/api/handler";
import { listFromApi, submitFromApi } from "@/lib/entry/api/requests";
import { json } from "@/lib/entry/api/respond";
import { listQuery, submitBody } from "@/lib/entry/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withApiViewer(async ({ viewer, request }) => {
  const query = parseWith(listQuery, Object.fromEntries(new URL(request.url).searchParams));
  return json(await listFromApi(viewer, query));
});

export const POST = withApiViewer(async ({ viewer, request }) => {
  const body = await readJson(request, submitBody);
  const accepted = await submitFromApi(viewer, await auditActorFor(viewer), body);
  // 202: the request is recorded; its pull request is opened by a background job.
  return json(accepted, 202, { location: accepted.links.self });
});
