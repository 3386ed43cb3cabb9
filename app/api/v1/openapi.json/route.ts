// GET /api/v1/openapi.json: the API description. Public on purpose: it holds no data, and client
// generators fetch it without a session.
import { openApiDocument } from "@/lib/entry/api/openapi";

export const dynamic = "force-static";

export function GET() {
  return Response.json(openApiDocument);
}
