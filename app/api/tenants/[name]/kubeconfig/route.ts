// Downloads a tenant's kubeconfig (OIDC sign-in through kubelogin; holds no credentials).
import { getViewer } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { errorResponse } from "@/lib/entry/api/respond";
import { AppError, type ErrorCode } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import { getTenant } from "@/lib/tenants/queries";
import { renderKubeconfig } from "@/lib/status/kubeconfig";

export const dynamic = "force-dynamic";

// Answered from lib/errors' table, like every API error.
const refuse = (code: ErrorCode, message: string) => errorResponse(new AppError(code, message), getLogger());

export async function GET(_req: Request, { params }: { params: Promise<{ name: string }> }) {
  const viewer = await getViewer();
  if (!viewer) return refuse("unauthenticated", "Sign in first.");
  const { name } = await params;
  const tenant = await getTenant(getDb(), viewer, name);
  if (tenant?.lifecycle !== "active") return refuse("not_found", "No active tenant with that name.");
  const server = tenant.outputs.apiEndpoint;
  if (!server || !/^https:\/\//.test(server))
    return refuse(
      "conflict",
      "The tenant's API endpoint is assigned by its platform; see the tenant page once it is ready.",
    );
  return new Response(renderKubeconfig({ config: getConfig(), tenant: tenant.name, server }), {
    headers: {
      "content-type": "application/yaml",
      "content-disposition": `attachment; filename="${tenant.name}.kubeconfig"`,
      "cache-control": "no-store",
    },
  });
}
