// Smoke test: the real kube-apiserver of the test environment.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, kube, loadTestEnv, watch, type TestEnv } from "./env";

const env: TestEnv = loadTestEnv();
const ns = `berth-smoke-${crypto.randomBytes(3).toString("hex")}`;
const apps = `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications`;

describe("kube-apiserver", () => {
  beforeAll(async () => {
    const r = await kube(env, "/api/v1/namespaces", { method: "POST", body: { metadata: { name: ns } } });
    expect(r.status, r.text).toBe(201);
  });
  afterAll(async () => {
    await kube(env, `/api/v1/namespaces/${ns}`, { method: "DELETE" });
  });

  it("lists namespaces as the admin (client certificate and static token)", async () => {
    for (const auth of ["cert", "token"] as const) {
      const r = await kube<{ items: { metadata: { name: string } }[] }>(env, "/api/v1/namespaces", { auth });
      expect(r.status, r.text).toBe(200);
      const names = r.json.items.map((n) => n.metadata.name);
      expect(names).toEqual(expect.arrayContaining(["default", "kube-system", ns]));
    }
  });

  it("serves the pinned version and rejects anonymous requests", async () => {
    const v = await kube<{ gitVersion: string }>(env, "/version");
    expect(v.json.gitVersion).toBe(env.kubernetes.version);
    const anon = await kube(env, "/api/v1/namespaces", { auth: "none" });
    expect([401, 403]).toContain(anon.status);
  });

  it("enforces RBAC for a service account token (signed with the SA key)", async () => {
    const sa = await kube(env, `/api/v1/namespaces/${ns}/serviceaccounts`, {
      method: "POST",
      body: { metadata: { name: "nobody" } },
    });
    expect(sa.status, sa.text).toBe(201);
    const tr = await kube<{ status: { token: string } }>(env, `/api/v1/namespaces/${ns}/serviceaccounts/nobody/token`, {
      method: "POST",
      body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 600 } },
    });
    expect(tr.status, tr.text).toBe(201);
    const bearer = tr.json.status.token;
    const denied = await kube(env, "/api/v1/namespaces", { auth: { bearer } });
    expect(denied.status, denied.text).toBe(403);
    expect(denied.text).toContain(`system:serviceaccount:${ns}:nobody`);
  });

  it("watches an Argo CD Application (in a namespace no controller watches) through create and a status merge-patch", async () => {
    const list = await kube<{ metadata: { resourceVersion: string } }>(env, apps);
    expect(list.status, list.text).toBe(200);
    const w = await watch(env, apps, list.json.metadata.resourceVersion);
    try {
      const app = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: "team-a", namespace: ns },
        spec: {
          project: "default",
          source: { repoURL: env.gitea.cloneUrl, path: "tenants/team-a", targetRevision: "main" },
          destination: { server: "https://kubernetes.default.svc", namespace: "team-a" },
        },
      };
      const created = await kube(env, apps, { method: "POST", body: app });
      expect(created.status, created.text).toBe(201);
      const added = await w.next((e) => e.type === "ADDED" && e.object.metadata.name === "team-a");
      expect(added.object.spec.source.path).toBe("tenants/team-a");

      // Argo CD's own CRD has no status subresource (its controller writes status through the
      // resource): /status does not exist, and a merge-patch of the resource arrives through the watch.
      const noSubresource = await kube(env, `${apps}/team-a/status`, {
        method: "PATCH",
        contentType: "application/merge-patch+json",
        body: { status: { sync: { status: "OutOfSync" } } },
      });
      expect(noSubresource.status, noSubresource.text).toBe(404);
      const patched = await kube(env, `${apps}/team-a`, {
        method: "PATCH",
        contentType: "application/merge-patch+json",
        body: { status: { sync: { status: "Synced", revision: "abc123" }, health: { status: "Healthy" } } },
      });
      expect(patched.status, patched.text).toBe(200);
      const modified = await w.next(
        (e) =>
          e.type === "MODIFIED" && e.object.metadata.name === "team-a" && e.object.status?.health?.status === "Healthy",
      );
      expect(modified.object.status.sync).toEqual({ status: "Synced", revision: "abc123" });
      expect(modified.object.spec.project).toBe("default");
    } finally {
      w.close();
    }
  });

  it("works with helm through the generated kubeconfig", async () => {
    const opts = { encoding: "utf8" as const, env: { ...process.env, ...env.helm.env } };
    const version = execFileSync(env.helm.binary, ["version", "--short"], opts);
    expect(version.trim()).toMatch(new RegExp(`^${env.helm.version.replace(/\./g, "\\.")}`));
    const releases = await eventually("helm list", async () =>
      JSON.parse(execFileSync(env.helm.binary, ["list", "--all-namespaces", "--output", "json"], opts)),
    );
    expect(releases).toEqual([]);
  });
});
