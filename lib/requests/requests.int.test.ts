import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { requests, requestTransitions, tenants } from "@/db/schema";
import { getDb, getPool } from "@/lib/db";
import { FieldError, ForbiddenError } from "@/lib/errors";
import { approveRequest, cancelRequest, rejectRequest } from "./decisions";
import { IllegalTransitionError } from "./state";
import { submitCreateRequest } from "./submit";
import { actorOf, runJob, seedPeople, setupRequestFixture, vclusterForm } from "./test-support";

const f = setupRequestFixture();
let people: Awaited<ReturnType<typeof seedPeople>>;
beforeEach(async () => {
  people = await seedPeople();
});

const stateOf = async (id: string) =>
  (await getDb().select({ state: requests.state }).from(requests).where(eq(requests.id, id)))[0]?.state;
const lifecycleOf = async (name: string) =>
  (await getDb().select({ l: tenants.lifecycle }).from(tenants).where(eq(tenants.name, name))).map((r) => r.l);
const submit = (name: string, fields?: Record<string, string>, viewer = people.dev) =>
  submitCreateRequest({ db: getDb(), viewer, actor: actorOf(viewer), form: vclusterForm(name, fields) });

describe("create request lifecycle", () => {
  it("submit → pull request open → approve → merged, with the files on main and every step recorded", async () => {
    const { requestId } = await submit("pay-stage");
    expect(await stateOf(requestId)).toBe("submitted");
    expect(await runJob(f.ctx(), requestId)).toBe("opened");
    const [req] = await getDb()
      .select({ state: requests.state, prNumber: requests.prNumber, prUrl: requests.prUrl })
      .from(requests)
      .where(eq(requests.id, requestId));
    expect(req).toMatchObject({ state: "pr_open", prNumber: 1, prUrl: "http://berth.test/gitops/pulls/1" });
    const pr = await f.repo.provider.getPullRequest(1);
    expect(pr.headBranch).toBe(`berth/request-${requestId}`);

    await approveRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin) });
    expect(await stateOf(requestId)).toBe("merged");
    expect(await lifecycleOf("pay-stage")).toEqual(["active"]);
    const onMain = await f.repo.provider.listFiles({ dir: "tenants/pay-stage", ref: "main" });
    expect(onMain).toContain("tenants/pay-stage/tenant.yaml");
    expect(await f.repo.provider.readFile({ path: "tenants/pay-stage/tenant.yaml", ref: "main" })).toContain(
      `berth.io/request: ${requestId}`,
    );
    const steps = await getDb()
      .select({
        from: requestTransitions.fromState,
        to: requestTransitions.toState,
        actor: requestTransitions.actorLabel,
      })
      .from(requestTransitions)
      .where(eq(requestTransitions.requestId, requestId))
      .orderBy(requestTransitions.id);
    expect(steps).toEqual([
      { from: null, to: "submitted", actor: "dev@test" },
      { from: "submitted", to: "pr_open", actor: "berth (automation)" },
      { from: "pr_open", to: "approved", actor: "ada@test" },
      { from: "approved", to: "merged", actor: "berth (automation)" },
    ]);
    const audit = await getPool().query("SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY id", [
      requestId,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual([
      "request.submitted",
      "request.pr_open",
      "request.approved",
      "request.merged",
    ]);
  });

  it("reject closes the pull request with the reason and frees the name", async () => {
    const { requestId } = await submit("pay-stage");
    await runJob(f.ctx(), requestId);
    await expect(
      rejectRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin), reason: "" }),
    ).rejects.toMatchObject({ fields: { reason: expect.any(String) } });
    await rejectRequest(f.ctx(), {
      requestId,
      viewer: people.admin,
      actor: actorOf(people.admin),
      reason: "use the existing staging tenant",
    });
    expect(await stateOf(requestId)).toBe("rejected");
    expect((await f.repo.provider.getPullRequest(1)).state).toBe("closed");
    const comments = await getPool().query("SELECT body FROM local_pull_request_comments");
    expect(comments.rows[0].body).toContain("use the existing staging tenant");
    expect(await lifecycleOf("pay-stage")).toEqual(["abandoned"]);
    await expect(submit("pay-stage")).resolves.toMatchObject({ tenantName: "pay-stage" });
  });

  it("the requester cancels before and after the pull request opened", async () => {
    const a = await submit("cancel-early");
    await cancelRequest(f.ctx(), { requestId: a.requestId, viewer: people.dev, actor: actorOf(people.dev) });
    expect(await stateOf(a.requestId)).toBe("cancelled");
    // The job may still run: it must not open a pull request for a cancelled request.
    expect(await runJob(f.ctx(), a.requestId)).toBe("skipped");
    const b = await submit("cancel-late");
    await runJob(f.ctx(), b.requestId);
    await cancelRequest(f.ctx(), { requestId: b.requestId, viewer: people.dev, actor: actorOf(people.dev) });
    expect((await f.repo.provider.getPullRequest(1)).state).toBe("closed");
    expect((await getPool().query("SELECT count(*)::int AS n FROM local_pull_requests")).rows[0].n).toBe(1);
  });

  it("four eyes: an admin cannot approve their own request; other people cannot approve at all", async () => {
    const { requestId } = await submitCreateRequest({
      db: getDb(),
      viewer: people.admin2,
      actor: actorOf(people.admin2),
      form: vclusterForm("own-request"),
    });
    await runJob(f.ctx(), requestId);
    await expect(
      approveRequest(f.ctx(), { requestId, viewer: people.admin2, actor: actorOf(people.admin2) }),
    ).rejects.toThrow("Four eyes");
    await expect(
      approveRequest(f.ctx(), { requestId, viewer: people.owner, actor: actorOf(people.owner) }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await stateOf(requestId)).toBe("pr_open");
    await approveRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin) });
    expect(await stateOf(requestId)).toBe("merged");
  });

  it("refuses illegal transitions in the service, not only in the UI", async () => {
    const { requestId } = await submit("pay-stage");
    await expect(
      approveRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin) }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    await runJob(f.ctx(), requestId);
    await approveRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin) });
    await expect(cancelRequest(f.ctx(), { requestId, viewer: people.dev, actor: actorOf(people.dev) })).rejects.toThrow(
      "cannot go from merged to cancelled",
    );
    await expect(
      rejectRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin), reason: "too late" }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it("a member of another team can neither request for, cancel nor see through another team", async () => {
    await expect(submit("sneaky", {}, people.other)).rejects.toMatchObject({
      fields: { team: expect.stringContaining("cannot request") },
    });
    const { requestId } = await submit("pay-stage");
    await expect(
      cancelRequest(f.ctx(), { requestId, viewer: people.other, actor: actorOf(people.other) }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await stateOf(requestId)).toBe("submitted");
  });

  it("names taken by a live tenant are refused with the field named", async () => {
    await submit("pay-stage");
    await expect(submit("pay-stage")).rejects.toEqual(
      new FieldError("tenantName", 'The name "pay-stage" is taken; tenant names are unique across Berth.'),
    );
  });
});
