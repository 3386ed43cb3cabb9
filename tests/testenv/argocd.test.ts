// Smoke tests of the real Argo CD of the test environment: it clones the Gitea GitOps repository
// over http, syncs a plain directory, and its ApplicationSet controller turns folders into
// Applications (and removes them, and their namespaces, with the folders). The refresh
// annotations make it act at once instead of at its 3-minute poll.
import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, kube, loadTestEnv, type TestEnv } from "./env";
import {
  appSetsPath,
  appsPath,
  commit,
  getApplication,
  refreshApplication,
  refreshApplicationSet,
  waitForSyncedHealthy,
} from "./gitops";

const env: TestEnv = loadTestEnv();
const id = `smoke-${crypto.randomBytes(3).toString("hex")}`;

const configMap = (ns: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata: ${JSON.stringify(data)}\n`;
const namespace = (ns: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`;
const deployment = (ns: string) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "registry.example/web:1.0" }] },
      },
    },
  });

describe("Argo CD", () => {
  const created: string[] = [];
  afterAll(async () => {
    for (const p of created.reverse()) await kube(env, p, { method: "DELETE" });
  });

  it("syncs an Application on a plain directory in Gitea to Synced/Healthy, and a new commit at once on refresh", async () => {
    const ns = `${id}-plain`;
    const sha = await commit(env, {
      message: `${id}: plain directory`,
      write: { [`${id}/plain/namespace.yaml`]: namespace(ns), [`${id}/plain/web.json`]: deployment(ns) },
    });
    const app = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: `${id}-plain`, namespace: env.argocd.namespace },
      spec: {
        project: env.argocd.project,
        source: { repoURL: env.argocd.repoURL, path: `${id}/plain`, targetRevision: env.gitea.defaultBranch },
        destination: { server: env.argocd.destination, namespace: ns },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    };
    const r = await kube(env, appsPath(env), { method: "POST", body: app });
    expect(r.status, r.text).toBe(201);
    created.push(`${appsPath(env)}/${app.metadata.name}`, `/api/v1/namespaces/${ns}`);

    // Healthy only once the Deployment's Pods run: scheduled onto a kwok Node and made Ready by kwok.
    const synced = await waitForSyncedHealthy(env, app.metadata.name, sha);
    expect(synced.status?.sync?.revision).toBe(sha);
    const dep = await kube(env, `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect(dep.json.status.readyReplicas).toBe(2);

    const next = await commit(env, {
      message: `${id}: add a ConfigMap`,
      write: { [`${id}/plain/settings.yaml`]: configMap(ns, { greeting: "hello" }) },
    });
    const t = Date.now();
    await refreshApplication(env, app.metadata.name);
    await waitForSyncedHealthy(env, app.metadata.name, next, 20_000);
    expect(Date.now() - t).toBeLessThan(20_000);
    const cm = await kube(env, `/api/v1/namespaces/${ns}/configmaps/settings`);
    expect(cm.json.data).toEqual({ greeting: "hello" });
  });

  it("turns each folder into an Application with a git directory generator, and removes it and its namespace with the folder", async () => {
    const folder = (t: string) => `${id}/tenants/${t}`;
    const files = (t: string) => ({
      [`${folder(t)}/namespace.yaml`]: namespace(`${id}-${t}`),
      [`${folder(t)}/settings.yaml`]: configMap(`${id}-${t}`, { tenant: t }),
    });
    await commit(env, { message: `${id}: two tenants`, write: { ...files("a"), ...files("b") } });
    const appSet = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      // Created already asking for a refresh: without it the generator reads "main" through the
      // repo-server's revision cache (3 minutes) and may not see the folders just committed.
      metadata: {
        name: `${id}-tenants`,
        namespace: env.argocd.namespace,
        annotations: { [env.argocd.refreshAnnotations.applicationSet]: "true" },
      },
      spec: {
        goTemplate: true,
        goTemplateOptions: ["missingkey=error"],
        generators: [
          {
            git: {
              repoURL: env.argocd.repoURL,
              revision: env.gitea.defaultBranch,
              directories: [{ path: `${id}/tenants/*` }],
            },
          },
        ],
        template: {
          metadata: {
            name: `${id}-{{ .path.basename }}`,
            // Deleting the Application deletes what it applied: the tenant's namespace too.
            finalizers: ["resources-finalizer.argocd.argoproj.io"],
          },
          spec: {
            project: env.argocd.project,
            source: { repoURL: env.argocd.repoURL, targetRevision: env.gitea.defaultBranch, path: "{{ .path.path }}" },
            destination: { server: env.argocd.destination },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        },
      },
    };
    const r = await kube(env, appSetsPath(env), { method: "POST", body: appSet });
    expect(r.status, r.text).toBe(201);
    created.push(`${appSetsPath(env)}/${appSet.metadata.name}`);

    await Promise.all(["a", "b"].map((t) => waitForSyncedHealthy(env, `${id}-${t}`)));
    const nsB = await kube(env, `/api/v1/namespaces/${id}-b`);
    expect(nsB.status).toBe(200);
    expect((await kube(env, `/api/v1/namespaces/${id}-b/configmaps/settings`)).json.data).toEqual({ tenant: "b" });

    await commit(env, { message: `${id}: tenant b leaves`, remove: [folder("b")] });
    const t = Date.now();
    await refreshApplicationSet(env, appSet.metadata.name);
    await eventually("Application b deleted", async () => !(await getApplication(env, `${id}-b`)), 30_000);
    // The namespace controller really deletes the namespace (and what was in it).
    await eventually(
      `namespace ${id}-b deleted`,
      async () => (await kube(env, `/api/v1/namespaces/${id}-b`)).status === 404,
      60_000,
    );
    expect(Date.now() - t).toBeLessThan(60_000);
    expect(await getApplication(env, `${id}-a`)).toBeDefined();
    expect((await kube(env, `/api/v1/namespaces/${id}-a`)).status).toBe(200);
  });
});
