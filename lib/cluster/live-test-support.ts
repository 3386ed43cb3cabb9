// Shared setup of the status reader's live tests (not a test file itself): rows seeded straight
// into PostgreSQL, objects written to the real kube-apiserver the way Argo CD and the
// controllers would (spec through the resource, status through the /status subresource).
import crypto from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { sql } from "drizzle-orm";
import pino from "pino";
import { expect } from "vitest";
import { getDb } from "@/lib/db";
import type { Observation } from "./derive";
import { eventually, kube, loadTestEnv, type TestEnv } from "@/tests/testenv/env";

export const env: TestEnv = loadTestEnv();
export const quietLog = pino({ level: process.env.BERTH_TEST_LOG ?? "silent" });
export const hex = (n = 3) => crypto.randomBytes(n).toString("hex");
export const sha = () => crypto.randomBytes(20).toString("hex");

export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(env.kubernetes.kubeconfig);
  return kc;
}

const ok = async (what: string, p: ReturnType<typeof kube>) => {
  const r = await p;
  expect(r.status, `${what}: ${r.text}`).toBeLessThan(300);
  return r;
};

export async function ensureNamespace(name: string): Promise<void> {
  const r = await kube(env, "/api/v1/namespaces", { method: "POST", body: { metadata: { name } } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${name}: ${r.text}`);
}

/** A team, a user, a tenant and its latest request, as Berth would have them after a merge. */
export async function seedTenant(opts: {
  name: string;
  kind?: string;
  state?: string;
  action?: string;
  lifecycle?: string;
  mergeCommitSha?: string | null;
}) {
  const db = getDb();
  const suffix = hex();
  const user = await db.execute<{ id: string }>(
    sql`INSERT INTO users (subject, name) VALUES (${`dev:${suffix}`}, 'dev') RETURNING id`,
  );
  const team = await db.execute<{ id: string }>(
    sql`INSERT INTO teams (slug, display_name) VALUES (${`team-${suffix}`}, 'team') RETURNING id`,
  );
  const userId = user.rows[0]!.id;
  const tenant = await db.execute<{ id: string }>(sql`
    INSERT INTO tenants
      (name, team_id, owner_id, kind, template_name, template_version, parameters, placement, lifecycle)
    VALUES (${opts.name}, ${team.rows[0]!.id}, ${userId}, ${opts.kind ?? "shared-vcluster"},
      'shared-vcluster', '1.0.0', '{}', 'shared-east', ${opts.lifecycle ?? "active"})
    RETURNING id`);
  const tenantId = tenant.rows[0]!.id;
  const request = await db.execute<{ id: string }>(sql`
    INSERT INTO requests (tenant_id, action, state, requested_by, template_name, template_version, parameters,
      placement, changes, branch, pr_number, merge_commit_sha)
    VALUES (${tenantId}, ${opts.action ?? "create"}, ${opts.state ?? "merged"}, ${userId}, 'shared-vcluster',
      '1.0.0', '{}', 'shared-east', '{}', ${`berth/${suffix}`}, 1, ${opts.mergeCommitSha ?? null})
    RETURNING id`);
  return { tenantId, requestId: request.rows[0]!.id };
}

export type StatusRow = {
  phase: string;
  message: string | null;
  synced_to_change: boolean;
  revision: string | null;
  sync_status: string | null;
  observed_at: Date;
  sources: Observation;
};

export async function statusOf(tenantId: string): Promise<StatusRow | undefined> {
  const r = await getDb().execute<StatusRow>(
    sql`SELECT phase, message, synced_to_change, revision, sync_status, observed_at, sources
        FROM tenant_status WHERE tenant_id = ${tenantId}`,
  );
  const row = r.rows[0];
  // Raw queries return timestamps as text.
  return row && { ...row, observed_at: new Date(row.observed_at) };
}

export async function historyOf(tenantId: string): Promise<{ phase: string; message: string | null; at: Date }[]> {
  const r = await getDb().execute<{ phase: string; message: string | null; at: Date }>(
    sql`SELECT phase, message, at FROM tenant_status_history WHERE tenant_id = ${tenantId} ORDER BY id`,
  );
  return r.rows.map((h) => ({ ...h, at: new Date(h.at) }));
}

/** Waits until the persisted status matches; the error names the last status seen. */
export async function waitForStatus(
  tenantId: string,
  want: Partial<StatusRow>,
  timeoutMs = 15_000,
): Promise<StatusRow> {
  let last: StatusRow | undefined;
  try {
    return await eventually(
      `status ${JSON.stringify(want)}`,
      async () => {
        last = await statusOf(tenantId);
        return last && Object.entries(want).every(([k, v]) => (last as Record<string, unknown>)[k] === v)
          ? last
          : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last && { ...last, sources: undefined })}`);
  }
}

const APPS = (ns: string) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications`;
const merge = { method: "PATCH", contentType: "application/merge-patch+json" } as const;

export async function createApplication(ns: string, name: string, tenant: string): Promise<void> {
  await ok(
    `create app ${name}`,
    kube(env, APPS(ns), {
      method: "POST",
      body: {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
          name,
          namespace: ns,
          labels: { "berth.io/tenant": tenant, "berth.io/team": "payments", "berth.io/request": "r" },
        },
        spec: {
          project: "berth-tenants",
          source: { repoURL: env.gitea.cloneUrl, path: `tenants/${tenant}`, targetRevision: "main" },
          destination: { server: "https://kubernetes.default.svc", namespace: `tenant-${tenant}` },
        },
      },
    }),
  );
}

export async function patchApplicationStatus(ns: string, name: string, status: Record<string, unknown>): Promise<void> {
  await ok(`patch app ${name} status`, kube(env, `${APPS(ns)}/${name}/status`, { ...merge, body: { status } }));
}

export async function deleteApplication(ns: string, name: string): Promise<void> {
  await ok(`delete app ${name}`, kube(env, `${APPS(ns)}/${name}`, { method: "DELETE" }));
}

/** The vCluster chart's StatefulSet (no controller runs, so its status is written by hand). */
export async function createVclusterStatefulSet(tenant: string, readyReplicas: number): Promise<string> {
  const ns = `tenant-${tenant}`;
  await ensureNamespace(ns);
  const path = `/apis/apps/v1/namespaces/${ns}/statefulsets`;
  const labels = { app: "vcluster", release: "vcluster" };
  await ok(
    "create statefulset",
    kube(env, path, {
      method: "POST",
      body: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "vcluster", namespace: ns, labels },
        spec: {
          replicas: 1,
          serviceName: "vcluster-headless",
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: "syncer", image: "ghcr.io/loft-sh/vcluster:0.26.0" }] },
          },
        },
      },
    }),
  );
  await setStatefulSetReady(tenant, readyReplicas);
  return `${path}/vcluster`;
}

export async function setStatefulSetReady(tenant: string, readyReplicas: number): Promise<void> {
  await ok(
    "patch statefulset status",
    kube(env, `/apis/apps/v1/namespaces/tenant-${tenant}/statefulsets/vcluster/status`, {
      ...merge,
      body: { status: { replicas: 1, readyReplicas, availableReplicas: readyReplicas } },
    }),
  );
}

export async function deleteStatefulSet(tenant: string): Promise<void> {
  await ok(
    "delete statefulset",
    kube(env, `/apis/apps/v1/namespaces/tenant-${tenant}/statefulsets/vcluster`, {
      method: "DELETE",
      body: { propagationPolicy: "Background" },
    }),
  );
}

export async function createCapiCluster(ns: string, tenant: string): Promise<string> {
  await ensureNamespace(ns);
  const path = `/apis/cluster.x-k8s.io/v1beta1/namespaces/${ns}/clusters`;
  await ok(
    "create cluster",
    kube(env, path, {
      method: "POST",
      body: {
        apiVersion: "cluster.x-k8s.io/v1beta1",
        kind: "Cluster",
        metadata: { name: tenant, namespace: ns, labels: { "berth.io/tenant": tenant } },
        spec: { topology: { class: "tanzukubernetescluster", version: "v1.33.1" } },
      },
    }),
  );
  return `${path}/${tenant}`;
}

export async function patchStatus(objectPath: string, status: Record<string, unknown>): Promise<void> {
  await ok(`patch ${objectPath}/status`, kube(env, `${objectPath}/status`, { ...merge, body: { status } }));
}
