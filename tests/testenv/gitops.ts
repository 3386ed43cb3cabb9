// Helpers for tests that drive the real Argo CD of the test environment through the Gitea GitOps
// repository it watches: commit files, read Applications, nudge Argo CD with its refresh annotations.
import { eventually, gitea, kube, type TestEnv } from "./env";

interface TreeEntry {
  path: string;
  type: "blob" | "tree";
  sha: string;
}

async function tree(env: TestEnv): Promise<TreeEntry[]> {
  const r = await gitea<{ tree: TreeEntry[] }>(
    env,
    `/repos/${env.gitea.repo}/git/trees/${env.gitea.defaultBranch}?recursive=true&per_page=10000`,
  );
  if (r.status !== 200) throw new Error(`gitea tree: ${r.status} ${r.text}`);
  return r.json.tree;
}

/**
 * One commit on the default branch of the GitOps repository: `write` creates or replaces files,
 * `remove` deletes files and whole folders. Returns the commit SHA (what Argo CD reports as the
 * synced revision).
 */
export async function commit(
  env: TestEnv,
  opts: { message: string; write?: Record<string, string>; remove?: string[] },
): Promise<string> {
  const existing = await tree(env);
  const blob = (p: string) => existing.find((e) => e.type === "blob" && e.path === p);
  const files: { operation: string; path: string; content?: string; sha?: string }[] = [];
  for (const [p, content] of Object.entries(opts.write ?? {})) {
    const old = blob(p);
    files.push({
      operation: old ? "update" : "create",
      path: p,
      content: Buffer.from(content).toString("base64"),
      sha: old?.sha,
    });
  }
  for (const p of opts.remove ?? []) {
    const hits = existing.filter((e) => e.type === "blob" && (e.path === p || e.path.startsWith(`${p}/`)));
    if (hits.length === 0) throw new Error(`commit: nothing to remove at ${p}`);
    for (const e of hits) files.push({ operation: "delete", path: e.path, sha: e.sha });
  }
  const r = await gitea<{ commit: { sha: string } }>(env, `/repos/${env.gitea.repo}/contents`, {
    method: "POST",
    body: { branch: env.gitea.defaultBranch, message: opts.message, files },
  });
  if (r.status !== 201) throw new Error(`gitea commit: ${r.status} ${r.text}`);
  return r.json.commit.sha;
}

export interface AppStatus {
  sync?: { status?: string; revision?: string };
  health?: { status?: string; message?: string };
  operationState?: { phase?: string; message?: string };
  conditions?: { type: string; message: string }[];
  reconciledAt?: string;
}

export interface Application {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: Record<string, unknown>;
  status?: AppStatus;
}

export const appsPath = (env: TestEnv) => `/apis/argoproj.io/v1alpha1/namespaces/${env.argocd.namespace}/applications`;
export const appSetsPath = (env: TestEnv) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${env.argocd.namespace}/applicationsets`;

export async function getApplication(env: TestEnv, name: string): Promise<Application | undefined> {
  const r = await kube<Application>(env, `${appsPath(env)}/${name}`);
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`get application ${name}: ${r.status} ${r.text}`);
  return r.json;
}

/** Sets an annotation by merge-patch (the refresh annotations; Argo CD removes them once done). */
export async function annotate(env: TestEnv, objectPath: string, annotations: Record<string, string>): Promise<void> {
  const r = await kube(env, objectPath, {
    method: "PATCH",
    contentType: "application/merge-patch+json",
    body: { metadata: { annotations } },
  });
  if (r.status !== 200) throw new Error(`annotate ${objectPath}: ${r.status} ${r.text}`);
}

/** Asks the application-controller to compare with Git now (instead of at its 3-minute poll). */
export const refreshApplication = (env: TestEnv, name: string) =>
  annotate(env, `${appsPath(env)}/${name}`, { [env.argocd.refreshAnnotations.application]: "normal" });

/** Asks the ApplicationSet controller to run its generators now. */
export const refreshApplicationSet = (env: TestEnv, name: string) =>
  annotate(env, `${appSetsPath(env)}/${name}`, { [env.argocd.refreshAnnotations.applicationSet]: "true" });

/** Waits until the Application is Synced at `revision` (any revision if omitted) and Healthy. */
export async function waitForSyncedHealthy(
  env: TestEnv,
  name: string,
  revision?: string,
  timeoutMs = 60_000,
): Promise<Application> {
  let last: AppStatus | undefined;
  try {
    return await eventually(
      `Application ${name} Synced${revision ? ` at ${revision}` : ""} and Healthy`,
      async () => {
        const app = await getApplication(env, name);
        const s = app?.status;
        last = s && { sync: s.sync, health: s.health, operationState: s.operationState, conditions: s.conditions };
        const synced = s?.sync?.status === "Synced" && (!revision || s.sync.revision === revision);
        return synced && s?.health?.status === "Healthy" ? app : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last)}`);
  }
}
