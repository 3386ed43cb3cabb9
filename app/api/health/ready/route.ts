// Readiness: the database answers within a second; otherwise 503 so load balancers stop routing here.
import { checkReadiness } from "@/lib/db/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const result = await checkReadiness();
  return Response.json(result, {
    status: result.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
