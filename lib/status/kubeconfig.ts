import "server-only";
import { stringify } from "yaml";
import type { Config } from "@/lib/config";

/** The issuer kubectl signs in with: the same identity provider as Berth. */
export function oidcIssuer(config: Config): string {
  const p = config.auth.provider;
  return p.kind === "entra" ? `https://login.microsoftonline.com/${p.tenantId}/v2.0` : p.issuer;
}

/**
 * A kubeconfig that signs in through OIDC with kubelogin (exec plugin): no certificate, token or
 * password is in it, so it can be downloaded, mailed and lost without harm.
 */
export function renderKubeconfig(opts: { config: Config; tenant: string; server: string }): string {
  const name = `berth-${opts.tenant}`;
  return stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server: opts.server } }],
      users: [
        {
          name: `${name}-oidc`,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "kubectl",
              args: [
                "oidc-login",
                "get-token",
                `--oidc-issuer-url=${oidcIssuer(opts.config)}`,
                `--oidc-client-id=${opts.config.cluster.kubectlClientId}`,
                "--oidc-extra-scope=groups",
                "--oidc-extra-scope=email",
              ],
              interactiveMode: "IfAvailable",
              provideClusterInfo: false,
            },
          },
        },
      ],
      contexts: [{ name, context: { cluster: name, user: `${name}-oidc` } }],
      "current-context": name,
    },
    { lineWidth: 0 },
  );
}
