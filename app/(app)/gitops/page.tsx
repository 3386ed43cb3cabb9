import { PageHeader } from "@/components/page-header";
import { GitOpsBootstrap } from "@/components/gitops-bootstrap";
import { Card, CardTitle } from "@/components/ui/card";
import { requireAllowed } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { bootstrapFiles, cloneUrl } from "@/lib/gitops/bootstrap";

export const metadata = { title: "GitOps" };

export default async function GitOpsPage() {
  await requireAllowed("admin.pages");
  const config = getConfig();
  const g = config.gitops;
  return (
    <>
      <PageHeader
        title="GitOps repository"
        description="Where Berth opens its pull requests, and how Argo CD picks tenants up."
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card aria-labelledby="repo-h">
          <CardTitle id="repo-h">Repository</CardTitle>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="font-medium">Provider</dt>
            <dd data-testid="gitops-provider">{g.provider}</dd>
            <dt className="font-medium">Repository</dt>
            <dd className="break-all font-mono text-xs">{g.provider === "local" ? g.localPath : g.repo}</dd>
            <dt className="font-medium">Clone URL</dt>
            <dd className="break-all font-mono text-xs">{cloneUrl(config)}</dd>
            <dt className="font-medium">Base branch</dt>
            <dd className="font-mono text-xs">{g.baseBranch}</dd>
            <dt className="font-medium">Webhook</dt>
            <dd className="break-all font-mono text-xs">
              {g.provider === "local"
                ? "not needed (Berth merges locally)"
                : `${config.baseUrl}/api/webhooks/${g.provider} (secret: BERTH_GITOPS_WEBHOOK_SECRET)`}
            </dd>
          </dl>
        </Card>
        <Card aria-labelledby="boot-h">
          <CardTitle id="boot-h">Bootstrap Argo CD</CardTitle>
          <p className="my-2 text-sm text-muted">
            Adds <code>bootstrap/</code> through a pull request: the <code>berth-tenants</code> AppProject and an
            ApplicationSet with a git directory generator over <code>tenants/*</code>. Also available as{" "}
            <code>npm run gitops:init</code>.
          </p>
          <GitOpsBootstrap />
        </Card>
      </div>
      <section aria-labelledby="files-h" className="mt-6">
        <h2 id="files-h" className="mb-2 text-base font-semibold">
          What the bootstrap adds
        </h2>
        {bootstrapFiles(config).map((f) =>
          "content" in f ? (
            <details key={f.path} className="mb-2 rounded-md border border-border bg-surface">
              <summary className="cursor-pointer px-3 py-2 font-mono text-xs">{f.path}</summary>
              <pre className="overflow-x-auto border-t border-border p-3 text-xs">{f.content}</pre>
            </details>
          ) : null,
        )}
      </section>
    </>
  );
}
