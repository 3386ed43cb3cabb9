// GET /api/v1/templates: templates the caller may request, with parameter schemas and placement choices.
import { withApiViewer } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { listApiTemplates } from "@/lib/api/templates";

export const dynamic = "force-dynamic";

export const GET = withApiViewer(async ({ viewer }) => json({ templates: await listApiTemplates(viewer) }));
