// GET /api/v1/templates: templates the caller may request, with parameter schemas and placement choices.
import { withApiViewer } from "@/lib/entry/api/handler";
import { json } from "@/lib/entry/api/respond";
import { listApiTemplates } from "@/lib/entry/api/templates";

export const dynamic = "force-dynamic";

export const GET = withApiViewer(async ({ viewer }) => json({ templates: await listApiTemplates(viewer) }));
