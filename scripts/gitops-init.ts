// `npm run gitops:init`: opens the pull request adding bootstrap/ to the configured GitOps repository.
// lib/ is imported after the server-only hook (see lib/entry/server-only-hook.ts).
import "@/lib/entry/server-only-hook";

const { getConfig } = await import("@/lib/config");
const { closeDb, getDb } = await import("@/lib/db");
const { openBootstrapPullRequest } = await import("@/lib/gitops/bootstrap");
const { getForgeContext } = await import("@/lib/entry/forge-context");
const { boot, StartupError } = await import("@/lib/entry/boot");

try {
  const { stopDatabase } = await boot();
  const pr = await openBootstrapPullRequest({
    db: getDb(),
    provider: getForgeContext().provider,
    config: getConfig(),
    actor: { id: null, label: "npm run gitops:init", clientIp: null },
  });
  console.log(`bootstrap pull request #${pr.number} (${pr.state}): ${pr.url}`);
  await closeDb();
  await stopDatabase();
  process.exit(0);
} catch (err) {
  console.error(err instanceof StartupError ? err.message : err);
  process.exit(1);
}
