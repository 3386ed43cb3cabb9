// A shared-vcluster tenant's whole life on the real components: Gitea as the forge, Berth's own
// services (submit, approve, refresh, status reader, decommission), Argo CD v3.6.1 with bootstrap/
// applied as a platform team would. Nothing writes an Application's status but Argo CD; the
// vCluster and argo-cd charts cannot be fetched here, so their Applications end in Argo CD's real
// fetch error, which Berth must show as the blocker.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { hex, statusOf, waitForStatus } from "@/lib/cluster/live-test-support";
import { submitDecommissionRequest, submitUpdateRequest } from "@/lib/requests/change";
import { submitCreateRequest } from "@/lib/requests/submit";
import { actorOf, seedPeople, vclusterForm } from "@/lib/requests/test-support";
import { eventually } from "./env";
import { approveAndRefresh, exists, get, setupJourney, syncedTo, tenantIdOf } from "./support/journey";

const journey = setupJourney();
const tenant = `jv-${hex()}`;
const ns = `tenant-${tenant}`;
// Checkboxes as the form sends them: the Argo CD core instance and the Kyverno baseline on.
const options = { "param.argocd": "on", "param.kyvernoBaseline": "on" };
let people: Awaited<ReturnType<typeof seedPeople>>;
const tenantId = () => tenantIdOf(tenant);
const approveAndRefreshIt = (requestId: string) =>
  approveAndRefresh({ requestId, tenant, approver: people.admin, reader: journey.reader() });

describe("shared-vcluster journey on real Argo CD", () => {
  it("submit → PR → merge → refresh → synced to the merge commit, objects exist, chart fetch error is the blocker → size change → new quota → decommission → pruned → Deleted", async () => {
    people = await seedPeople();
    const { requestId } = await submitCreateRequest({
      db: getDb(),
      viewer: people.dev,
      actor: actorOf(people.dev),
      form: { ...vclusterForm(tenant, options), placement: "in-cluster/shared" },
    });
    const sha = await approveAndRefreshIt(requestId);
    await eventually("tenant Application synced to the merge commit", () => syncedTo(tenant, sha), 60_000);
    for (const path of [
      `/api/v1/namespaces/${ns}`,
      `/api/v1/namespaces/${ns}/resourcequotas/tenant-quota`,
      `/api/v1/namespaces/${ns}/limitranges/tenant-defaults`,
      `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/isolate-tenant`,
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/team-admin`,
      `/apis/policies.kyverno.io/v1/namespaces/${ns}/namespacedvalidatingpolicies/disallow-privileged`,
      `/apis/cert-manager.io/v1/namespaces/${ns}/certificates/${tenant}-tls`,
    ])
      await eventually(path, () => exists(path), 30_000);
    // The vCluster and argo-cd charts' Applications: Argo CD's own error fetching the chart (no internet here).
    const fetchErrors: string[] = [];
    for (const chart of ["vcluster", "argocd"]) {
      const c = await eventually(
        `the ${chart} Application's ComparisonError`,
        async () => {
          const a = await get(
            `/apis/argoproj.io/v1alpha1/namespaces/berth-apps-payments/applications/${tenant}-${chart}`,
          );
          const conditions = (a.json?.status as { conditions?: { type: string; message: string }[] })?.conditions;
          return conditions?.find((x) => x.type === "ComparisonError");
        },
        90_000,
      );
      expect(c.message).toContain("failed to fetch chart");
      fetchErrors.push(c.message);
    }
    // Berth shows one of them as the blocker, word for word, not "Syncing".
    const status = await waitForStatus(await tenantId(), { phase: "Degraded", synced_to_change: true }, 30_000);
    expect(fetchErrors).toContain(status.message);

    // Change of size → update PR → the new ResourceQuota is in the cluster.
    const quota = async () =>
      (await get(`/api/v1/namespaces/${ns}/resourcequotas/tenant-quota`)).json as {
        spec: { hard: Record<string, string> };
      };
    const before = (await quota()).spec.hard;
    const { requestId: updateId } = await submitUpdateRequest({
      db: getDb(),
      viewer: people.dev,
      actor: actorOf(people.dev),
      tenantName: tenant,
      fields: { ...options, "param.size": "M" },
    });
    const update = await approveAndRefreshIt(updateId);
    const after = await eventually(
      "the new quota",
      async () => {
        const hard = (await quota()).spec.hard;
        return JSON.stringify(hard) !== JSON.stringify(before) ? hard : undefined;
      },
      60_000,
    );
    expect(after).not.toEqual(before);
    await waitForStatus(await tenantId(), { revision: update, synced_to_change: true }, 30_000);

    // Decommission (a team owner's right) → Argo CD prunes → namespace gone → Berth shows Deleted.
    const { requestId: decommissionId } = await submitDecommissionRequest({
      db: getDb(),
      viewer: people.owner,
      actor: actorOf(people.owner),
      tenantName: tenant,
      reason: "journey done",
    });
    await approveAndRefreshIt(decommissionId);
    await eventually(
      "the tenant namespace to be gone",
      async () => ((await get(`/api/v1/namespaces/${ns}`)).status === 404 ? true : undefined),
      120_000,
    );
    await waitForStatus(await tenantId(), { phase: "Deleted" }, 60_000);
    const rows = await getDb().execute(sql`SELECT 1 FROM tenants WHERE name = ${tenant}`);
    expect(rows.rows.length).toBe(1);
    expect((await statusOf(await tenantId()))?.phase).toBe("Deleted");
  }, 480_000);
});
