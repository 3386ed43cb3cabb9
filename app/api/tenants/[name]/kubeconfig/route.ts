// Downloads a tenant's kubeconfig (OIDC sign-in through kubelogin; holds no credentials).
import { getViewer } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { getTenant } from "@/lib/tenants/queries";
import { renderKubeconfig } from "@/lib/status/kubeconfig";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ name: string }> }) {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: { code: "unauthenticated", message: "Sign in first." } }, { status: 401 });
  const { name } = await params;
  const tenant = await getTenant(getDb(), viewer, name);
  if (tenant?.lifecycle !== "active")
    return Response.json(
      { error: { code: "not_found", message: "No active tenant with that name." } },
      { status: 404 },
    );
  const server = tenant.outputs.apiEndpoint;
  if (!server || !/^https:\/\//.test(server)) {
    return Response.json(
      {
        error: {
          code: "not_ready",
          message: "The tenant's API endpoint is assigned by its platform; see the tenant page once it is ready.",
        },
      },
      { status: 409 },
    );
  }
  return new Response(renderKubeconfig({ config: getConfig(), tenant: tenant.name, server }), {
    headers: {
      "content-type": "application/yaml",
      "content-disposition": `attachment; filename="${tenant.name}.kubeconfig"`,
      "cache-control": "no-store",
    },
  });
}
