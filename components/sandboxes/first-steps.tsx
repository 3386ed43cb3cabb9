/** What to do with a fresh sandbox: the shortest path from "ready" to "I deployed something". */
export function FirstSteps({ tenant, argocdUrl }: { tenant: string; argocdUrl?: string }) {
  return (
    <section aria-labelledby="first-steps-h" className="text-sm" data-testid="first-steps">
      <h3 id="first-steps-h" className="font-semibold">
        First steps
      </h3>
      <ol className="mt-2 list-decimal space-y-1 pl-5">
        <li>
          Download the kubeconfig above and install kubelogin once: <code>kubectl krew install oidc-login</code>.
        </li>
        <li>
          <code>export KUBECONFIG=~/Downloads/{tenant}.kubeconfig</code>, then <code>kubectl get ns</code>: your browser
          signs you in with your company account.
        </li>
        <li>
          Deploy something: <code>kubectl create deployment hello --image=nginx</code>. It is your cluster: break it
          freely.
        </li>
        <li>
          {argocdUrl ? (
            <>
              Or go GitOps: point your Argo CD at a repository at{" "}
              <a className="text-primary underline" href={argocdUrl}>
                {argocdUrl}
              </a>
              .
            </>
          ) : (
            "Or go GitOps with your team's Argo CD."
          )}
        </li>
      </ol>
    </section>
  );
}
