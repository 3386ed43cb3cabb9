import { Download } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";

/** How to reach a ready tenant: its Argo CD, its API, and a kubeconfig that signs in with OIDC. */
export function AccessPanel({ tenant, outputs }: { tenant: string; outputs: Record<string, string> }) {
  const api = outputs.apiEndpoint;
  const downloadable = Boolean(api?.startsWith("https://"));
  return (
    <Card aria-labelledby="access-h" data-testid="access-panel">
      <CardTitle id="access-h">Access</CardTitle>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        {outputs.argocdUrl ? (
          <>
            <dt className="font-medium">Argo CD</dt>
            <dd>
              <a className="break-all text-primary underline" href={outputs.argocdUrl}>
                {outputs.argocdUrl}
              </a>
            </dd>
          </>
        ) : null}
        {api ? (
          <>
            <dt className="font-medium">API endpoint</dt>
            <dd className="break-all font-mono text-xs">{api}</dd>
          </>
        ) : null}
        {outputs.argocdCluster ? (
          <>
            <dt className="font-medium">Argo CD cluster</dt>
            <dd className="font-mono text-xs">{outputs.argocdCluster}</dd>
          </>
        ) : null}
      </dl>
      {downloadable ? (
        <div className="mt-3 space-y-2 text-sm">
          <Button asChild size="sm" variant="outline">
            <a href={`/api/tenants/${tenant}/kubeconfig`} download>
              <Download aria-hidden /> Download kubeconfig
            </a>
          </Button>
          <p className="text-xs text-muted">
            Signs in with your company account through <code>kubectl oidc-login</code> (kubelogin); it holds no
            password, token or certificate.
          </p>
          <pre className="overflow-x-auto rounded-md bg-background p-2 text-xs">
            {[
              "kubectl krew install oidc-login",
              `export KUBECONFIG=~/Downloads/${tenant}.kubeconfig`,
              "kubectl get namespaces",
            ].join("\n")}
          </pre>
        </div>
      ) : null}
    </Card>
  );
}
