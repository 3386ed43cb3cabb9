// Forge webhooks: a pull request merged or closed in the forge moves its request; signatures are verified.
import { getConfig } from "@/lib/config";
import { WebhookSignatureError } from "@/lib/gitops/errors";
import { getLogger } from "@/lib/log";
import { getForgeContext } from "@/lib/entry/forge-context";
import { handleForgeWebhook } from "@/lib/requests/webhooks";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ provider: string }> }) {
  const { provider } = await params;
  const { gitops } = getConfig();
  // Only the configured forge has a webhook; anything else looks like a missing page.
  if (provider !== gitops.provider || provider === "local" || !gitops.webhookSecret) {
    return Response.json({ ok: false, message: "no webhook here" }, { status: 404 });
  }
  const rawBody = await req.text();
  if (rawBody.length > 5_000_000) return Response.json({ ok: false, message: "payload too large" }, { status: 413 });
  try {
    const outcome = await handleForgeWebhook(getForgeContext(), {
      headers: req.headers,
      rawBody,
      secret: gitops.webhookSecret,
    });
    return Response.json(outcome.body, { status: outcome.status });
  } catch (err) {
    if (err instanceof WebhookSignatureError) {
      getLogger().warn({ provider }, "webhook refused: bad signature");
      return Response.json({ ok: false, message: "signature does not match" }, { status: 401 });
    }
    getLogger().error({ provider, err: (err as Error).message }, "webhook failed");
    // 5xx makes the forge redeliver; the reconcile job is the fallback either way.
    return Response.json({ ok: false, message: "could not process the event" }, { status: 500 });
  }
}
