// Server-sent events: open pages learn that a tenant they show changed (status or request) and re-render.
import { can } from "@/lib/auth/policy";
import { getViewer } from "@/lib/entry/session";
import { getDb } from "@/lib/db";
import { errorResponse } from "@/lib/entry/api/respond";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import { listTenantNames } from "@/lib/tenants/queries";
import { subscribeStatus } from "@/lib/status/listener";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const viewer = await getViewer();
  if (!viewer) return errorResponse(new AppError("unauthenticated", "Sign in first."), getLogger());
  const wanted = new URL(req.url).searchParams.get("tenants");
  const only = wanted ? new Set(wanted.split(",").filter((t) => /^[a-z0-9-]{1,40}$/.test(t))) : null;
  // Visibility is checked per tenant name once and cached for the life of the stream.
  const visible = new Map<string, boolean>();
  const isVisible = async (tenant: string) => {
    if (can(viewer, "records.view_all")) return true;
    if (!visible.has(tenant)) visible.set(tenant, (await listTenantNames(getDb(), viewer, [tenant])).length > 0);
    return visible.get(tenant)!;
  };
  const encoder = new TextEncoder();
  let cleanup: () => void = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send("retry: 2000\n: connected\n\n");
      const unsubscribe = await subscribeStatus((tenant) => {
        if (only && !only.has(tenant)) return;
        void isVisible(tenant).then((ok) => ok && send(`event: status\ndata: ${JSON.stringify({ tenant })}\n\n`));
      });
      const ping = setInterval(() => send(": ping\n\n"), 15_000);
      cleanup = () => {
        clearInterval(ping);
        unsubscribe();
      };
      req.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
