// `npm run gitops:init`: opens the pull request adding bootstrap/ to the configured GitOps repository.
import { getConfig } from "@/lib/config";
import { closeDb, getDb } from "@/lib/db";
import { openBootstrapPullRequest } from "@/lib/gitops/bootstrap";
import { getForgeContext } from "@/lib/entry/forge-context";
import { boot, StartupError } from "@/lib/entry/boot";

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
