// The little of the Kubernetes API the environment needs while starting: requests with the admin
// client certificate, server-side apply of the objects it creates, waiting for CRDs to be served.
import type { HttpResponse, TlsOptions } from "./types";
import { type RequestOptions, request, waitFor } from "./util";

export interface KubeClient {
  server: string;
  tls: TlsOptions;
  request(path: string, opts?: RequestOptions): Promise<HttpResponse>;
}

export function kubeClient(server: string, tls: TlsOptions): KubeClient {
  return {
    server,
    tls,
    request: (p, opts = {}) =>
      request(`${server}${p}`, { ...opts, tls, headers: { accept: "application/json", ...opts.headers } }),
  };
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

// The kinds the environment itself creates (plural and whether namespaced).
const KINDS: Record<string, [plural: string, namespaced: boolean]> = {
  Namespace: ["namespaces", false],
  Node: ["nodes", false],
  ConfigMap: ["configmaps", true],
  Secret: ["secrets", true],
  AppProject: ["appprojects", true],
  ClusterRoleBinding: ["clusterrolebindings", false],
};

export function objectPath(obj: KubeObject): string {
  const kind = KINDS[obj.kind];
  if (!kind) throw new Error(`objectPath: unknown kind ${obj.kind}`);
  const [plural, namespaced] = kind;
  const base = obj.apiVersion.includes("/") ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = namespaced ? `/namespaces/${obj.metadata.namespace ?? "default"}` : "";
  return `${base}${ns}/${plural}/${obj.metadata.name}`;
}

/** Server-side apply (field manager berth-testenv), as a platform team's tooling would. */
export async function apply(kube: KubeClient, obj: KubeObject): Promise<void> {
  const r = await kube.request(`${objectPath(obj)}?fieldManager=berth-testenv&force=true`, {
    method: "PATCH",
    body: obj,
    headers: { "content-type": "application/apply-patch+yaml" },
  });
  if (r.status >= 300) throw new Error(`apply ${obj.kind} ${obj.metadata.name}: HTTP ${r.status}: ${r.text}`);
}

interface CrdObject {
  spec: { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Waits until each CRD is Established and every served version answers a list. */
export async function waitForCrds(kube: KubeClient, names: string[]): Promise<void> {
  const base = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  for (const name of names) {
    const crd = await waitFor(
      `CRD ${name} Established`,
      async () => {
        const r = await kube.request(`${base}/${name}`);
        const obj = r.status === 200 ? (r.json() as CrdObject) : null;
        const ok = obj?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True");
        return ok ? obj : null;
      },
      { timeoutMs: 60_000 },
    );
    // The apiserver creates a CRD's storage (and watch cache) on the first request and answers 429
    // "storage is (re)initializing" until the cache is filled: warm every served version up here.
    for (const v of crd.spec.versions.filter((x) => x.served)) {
      const list = `/apis/${crd.spec.group}/${v.name}/${crd.spec.names.plural}?limit=1`;
      await waitFor(`${name} ${v.name} served`, async () => (await kube.request(list)).status === 200, {
        timeoutMs: 60_000,
      });
    }
  }
}
