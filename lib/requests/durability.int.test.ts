import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { requests, tenants } from "@/db/schema";
import { getDb, getPool } from "@/lib/db";
import { ForgeUnavailableError } from "@/lib/gitops/errors";
import type { GitOpsProvider } from "@/lib/gitops/types";
import { getQueue, QUEUES } from "@/lib/jobs/queue";
import { submitDecommissionRequest, submitUpdateRequest } from "./change";
import { approveRequest, retryRequest } from "./decisions";
import { MAX_PR_ATTEMPTS } from "./forge-flow";
import { reconcileRequests } from "./reconcile";
import { submitCreateRequest } from "./submit";
import { actorOf, runJob, seedPeople, setupRequestFixture, vclusterForm } from "./test-support";

const f = setupRequestFixture();
let people: Awaited<ReturnType<typeof seedPeople>>;
beforeEach(async () => {
  people = await seedPeople();
});

const prCount = async () =>
  (await getPool().query("SELECT count(*)::int AS n FROM local_pull_requests")).rows[0].n as number;
const stateOf = async (id: string) =>
  (
    await getDb()
      .select({ state: requests.state, lastError: requests.lastError, reason: requests.reason })
      .from(requests)
      .where(eq(requests.id, id))
  )[0];
const submit = (name: string, fields?: Record<string, string>) =>
  submitCreateRequest({
    db: getDb(),
    viewer: people.dev,
    actor: actorOf(people.dev),
    form: vclusterForm(name, fields),
  });

/** The local provider behind a switch: down for the next `failures` calls. */
function flaky(provider: GitOpsProvider, failures: { n: number }): GitOpsProvider {
  return new Proxy(provider, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || !["commitFiles", "openPullRequest", "mergePullRequest"].includes(String(prop)))
        return value;
      return (...args: unknown[]) => {
        if (failures.n > 0) {
          failures.n--;
          return Promise.reject(new ForgeUnavailableError("connect ECONNREFUSED 127.0.0.1:3000"));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe("durability", () => {
  it("commits the job with the request: an accepted submission always has its job queued", async () => {
    const { requestId } = await submit("queued");
    const jobs = await getQueue().fetch<{ requestId: string }>(QUEUES.openPullRequest, { batchSize: 50 });
    expect(jobs.map((j) => j.data.requestId)).toContain(requestId);
  });

  it("the job run twice, or twice at once, opens exactly one pull request", async () => {
    const { requestId } = await submit("twice");
    const results = await Promise.all([runJob(f.ctx(), requestId), runJob(f.ctx(), requestId)]);
    expect(results).toContain("opened");
    expect(await runJob(f.ctx(), requestId)).toBe("skipped");
    expect(await prCount()).toBe(1);
    expect((await stateOf(requestId))?.state).toBe("pr_open");
    // The worker that lost the race must not have closed the winner's pull request.
    expect((await f.repo.provider.getPullRequest(1)).state).toBe("open");
  });

  it("a process that died between submit and pull request is caught up by the reconcile: one PR", async () => {
    const { requestId } = await submit("orphan");
    // The queued job was lost with the process (e.g. expired); the reconcile re-queues from the request row.
    const requeued: string[] = [];
    const result = await reconcileRequests(f.ctx(), { enqueue: async (id) => void requeued.push(id), staleAfterMs: 0 });
    expect(result.requeued).toBe(1);
    expect(requeued).toEqual([requestId]);
    await runJob(f.ctx(), requestId);
    await runJob(f.ctx(), requestId);
    expect(await prCount()).toBe(1);
  });

  it("a forge that is down is retried, then the request has exactly one PR", async () => {
    const { requestId } = await submit("retry-me");
    const down = { n: 2 };
    const ctx = f.ctx(flaky(f.repo.provider, down));
    await expect(runJob(ctx, requestId)).rejects.toBeInstanceOf(ForgeUnavailableError);
    await expect(runJob(ctx, requestId)).rejects.toBeInstanceOf(ForgeUnavailableError);
    expect(await stateOf(requestId)).toMatchObject({
      state: "submitted",
      lastError: "connect ECONNREFUSED 127.0.0.1:3000",
    });
    expect(await runJob(ctx, requestId)).toBe("opened");
    expect(await prCount()).toBe(1);
  });

  it("after the last attempt the request is failed, visibly and retryably", async () => {
    const { requestId } = await submit("gives-up");
    const ctx = f.ctx(flaky(f.repo.provider, { n: MAX_PR_ATTEMPTS }));
    for (let i = 0; i < MAX_PR_ATTEMPTS; i++) await runJob(ctx, requestId).catch(() => undefined);
    expect(await stateOf(requestId)).toMatchObject({
      state: "failed",
      reason: expect.stringContaining(`after ${MAX_PR_ATTEMPTS} attempt(s)`),
    });
    await retryRequest(f.ctx(), { requestId, viewer: people.dev, actor: actorOf(people.dev) });
    expect(await runJob(f.ctx(), requestId)).toBe("opened");
    expect(await prCount()).toBe(1);
  });

  it("a pull request merged or closed in the forge directly is picked up by the reconcile", async () => {
    const a = await submit("merged-outside");
    const b = await submit("closed-outside");
    await runJob(f.ctx(), a.requestId);
    await runJob(f.ctx(), b.requestId);
    await f.repo.provider.mergePullRequest(1, { message: "merged by hand" });
    await f.repo.provider.closePullRequest(2);
    const result = await reconcileRequests(f.ctx(), { enqueue: async () => undefined });
    expect(result).toMatchObject({ checked: 2, changed: 2, errors: 0 });
    expect((await stateOf(a.requestId))?.state).toBe("merged");
    expect((await stateOf(b.requestId))?.state).toBe("rejected");
  });
});

describe("auto-approval, quotas, update and decommission", () => {
  it("a sandbox is approved by policy and merged by Berth, still through a pull request", async () => {
    const { requestId, autoApprove } = await submitCreateRequest({
      db: getDb(),
      viewer: people.dev,
      actor: actorOf(people.dev),
      form: {
        template: "sandbox",
        team: "payments",
        tenantName: "dev-sandbox",
        placement: "shared-east/team-pool",
        fields: {},
      },
    });
    expect(autoApprove).toBe(true);
    await runJob(f.ctx(), requestId);
    expect((await stateOf(requestId))?.state).toBe("merged");
    expect((await f.repo.provider.getPullRequest(1)).state).toBe("merged");
    // One sandbox per person.
    await expect(
      submitCreateRequest({
        db: getDb(),
        viewer: people.dev,
        actor: actorOf(people.dev),
        form: {
          template: "sandbox",
          team: "payments",
          tenantName: "second-sandbox",
          placement: "shared-east/team-pool",
          fields: {},
        },
      }),
    ).rejects.toMatchObject({ field: "template", message: expect.stringContaining("the limit is 1 per person") });
  });

  it("refuses a request over the team quota before anything is written", async () => {
    await submit("big-one", { "param.size": "L" }); // 8 of 10 cores
    const before = await prCount();
    await expect(submit("big-two", { "param.size": "M" })).rejects.toMatchObject({
      field: "param.size",
      message: expect.stringContaining("Team CPU quota exceeded"),
    });
    expect(await getDb().select({ n: tenants.name }).from(tenants).where(eq(tenants.name, "big-two"))).toEqual([]);
    expect(await prCount()).toBe(before);
    // A per-team override replaces the defaults.
    const [team] = (await getPool().query("SELECT id FROM teams WHERE slug = 'payments'")).rows;
    await getPool().query(
      "INSERT INTO team_quotas (team_id, max_tenants, max_cpu_millis, max_memory_mib) VALUES ($1, 2, 100000, 1048576)",
      [team.id],
    );
    await submit("small-1");
    await expect(submit("small-2")).rejects.toMatchObject({
      field: "team",
      message: "Team quota reached: 2 of 2 tenants in use.",
    });
  });

  it("an update rewrites the tenant's files; a decommission deletes its folder but its project part", async () => {
    const { requestId } = await submit("grows", { "param.argocd": "on" });
    await runJob(f.ctx(), requestId);
    await approveRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin) });
    expect(await f.repo.provider.listFiles({ dir: "tenants/grows", ref: "main" })).toContain(
      "tenants/grows/argocd.yaml",
    );

    const update = await submitUpdateRequest({
      db: getDb(),
      viewer: people.dev,
      actor: actorOf(people.dev),
      tenantName: "grows",
      fields: { "param.size": "M" },
    });
    await runJob(f.ctx(), update.requestId);
    await approveRequest(f.ctx(), { requestId: update.requestId, viewer: people.admin, actor: actorOf(people.admin) });
    const quota = await f.repo.provider.readFile({ path: "tenants/grows/quota.yaml", ref: "main" });
    expect(quota).toContain('requests.cpu: "4"');
    // argocd was unchecked in the update form, so its file is gone.
    expect(await f.repo.provider.listFiles({ dir: "tenants/grows", ref: "main" })).not.toContain(
      "tenants/grows/argocd.yaml",
    );
    expect(
      (await getDb().select({ cpu: tenants.cpuMillis }).from(tenants).where(eq(tenants.name, "grows")))[0]?.cpu,
    ).toBe(4000);

    // A member may not decommission; the owner may.
    await expect(
      submitDecommissionRequest({ db: getDb(), viewer: people.dev, actor: actorOf(people.dev), tenantName: "grows" }),
    ).rejects.toMatchObject({ field: "tenant" });
    await expect(
      submitDecommissionRequest({
        db: getDb(),
        viewer: people.other,
        actor: actorOf(people.other),
        tenantName: "grows",
      }),
    ).rejects.toMatchObject({ field: "tenant" });
    const gone = await submitDecommissionRequest({
      db: getDb(),
      viewer: people.owner,
      actor: actorOf(people.owner),
      tenantName: "grows",
    });
    await runJob(f.ctx(), gone.requestId);
    await approveRequest(f.ctx(), { requestId: gone.requestId, viewer: people.admin, actor: actorOf(people.admin) });
    expect((await stateOf(gone.requestId))?.state).toBe("deleted");
    // Only the tenant's part of its team's AppProject stays, so Argo CD may still prune what it deployed.
    expect(await f.repo.provider.listFiles({ dir: "tenants/grows", ref: "main" })).toEqual([
      "tenants/grows/argocd-project.yaml",
    ]);
    expect((await getDb().select({ l: tenants.lifecycle }).from(tenants).where(eq(tenants.name, "grows")))[0]?.l).toBe(
      "deleted",
    );
  });
});
