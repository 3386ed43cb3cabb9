import "server-only";
import { eq, sql } from "drizzle-orm";
import { requests, tenants } from "@/db/schema";
import type { AuditActor } from "@/lib/audit/record";
import type { Tx } from "@/lib/db";
import { ForgeUnavailableError, MergeConflictError } from "@/lib/gitops/errors";
import type { FileChange, PullRequestState } from "@/lib/gitops/types";
import { getConfig } from "@/lib/config";
import { fingerprintChanges } from "@/lib/templates/fingerprint";
import { getLogger } from "@/lib/log";
import { targetOf } from "@/lib/tenants/target";
import { BERTH_ACTOR, loadRequest, type ForgeContext, type LoadedRequest } from "./context";
import { pullRequestBody, pullRequestTitle, requestLabels } from "./pr-text";
import { transitionRequest } from "./state";

export const MAX_PR_ATTEMPTS = 8;

function prText(r: LoadedRequest, baseUrl: string) {
  const input = {
    requestId: r.id,
    action: r.action,
    tenant: r.tenant,
    team: r.team,
    template: `${r.templateName}@${r.templateVersion}`,
    requestedBy: r.requesterEmail ?? r.requesterName,
    parameters: r.parameters as Record<string, unknown>,
    baseUrl,
    previewFingerprint: r.previewFingerprint,
  };
  return { title: pullRequestTitle(input), body: pullRequestBody(input) };
}

/**
 * The job behind every submission: commit the request's files on its own branch and open (or
 * find) its pull request. Safe to run twice or concurrently: the branch is derived from the
 * request id, the commit is idempotent and the provider returns the existing pull request.
 */
export async function openRequestPullRequest(ctx: ForgeContext, requestId: string): Promise<"opened" | "skipped"> {
  const r = await loadRequest(ctx.db, requestId);
  if (r.state !== "submitted") return "skipped";
  const { provider } = ctx;
  const text = prText(r, ctx.baseUrl);
  let pr: PullRequestState;
  try {
    // The submit checked the files against the preview; this keeps a changed row from reaching Git.
    if (r.previewFingerprint && fingerprintChanges(r.changes as FileChange[]) !== r.previewFingerprint)
      throw new Error(`the stored files do not match the requester's preview ${r.previewFingerprint}`);
    await provider.commitFiles({
      branch: r.branch,
      base: provider.baseBranch,
      message: text.title,
      author: { name: "Berth", email: "berth@noreply.invalid" },
      changes: r.changes as FileChange[],
    });
    pr = await provider.openPullRequest({
      head: r.branch,
      base: provider.baseBranch,
      ...text,
      labels: requestLabels(r.action, r.team),
    });
  } catch (err) {
    await recordAttemptFailure(ctx, r, err);
    throw err;
  }
  const stateNow = await ctx.db.transaction(async (tx) => {
    const [now] = await tx.select({ state: requests.state }).from(requests).where(eq(requests.id, r.id)).for("update");
    if (now?.state !== "submitted") return now?.state;
    await transitionRequest({
      tx,
      requestId: r.id,
      to: "pr_open",
      actor: BERTH_ACTOR,
      set: { prNumber: pr.number, prUrl: pr.url, attempts: r.attempts + 1, lastError: null },
    });
    return "pr_open_by_us" as const;
  });
  if (stateNow !== "pr_open_by_us") {
    // Cancelled while we were at the forge: the PR must not stay open. (Another worker that got
    // there first found the same PR; it is theirs to carry on.)
    if (stateNow === "cancelled") await provider.closePullRequest(pr.number).catch(() => undefined);
    return "skipped";
  }
  if (pr.state === "merged") await applyPullRequestState(ctx, { requestId: r.id, pr, actor: BERTH_ACTOR });
  else if (r.autoApprove) await mergeApproved(ctx, r.id, BERTH_ACTOR, "approved automatically by template policy");
  return "opened";
}

async function recordAttemptFailure(ctx: ForgeContext, r: LoadedRequest, err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  const attempts = r.attempts + 1;
  const permanent = !(err instanceof ForgeUnavailableError) || attempts >= MAX_PR_ATTEMPTS;
  getLogger().warn({ requestId: r.id, attempts, permanent, err: message }, "opening the pull request failed");
  await ctx.db.transaction(async (tx) => {
    await tx.update(requests).set({ attempts, lastError: message, updatedAt: sql`now()` }).where(eq(requests.id, r.id));
    if (permanent)
      await transitionRequest({
        tx,
        requestId: r.id,
        to: "failed",
        actor: BERTH_ACTOR,
        reason: `Pull request could not be opened after ${attempts} attempt(s): ${message}`,
      });
  });
}

/** pr_open → approved → merged through the forge; a conflict leaves the request failed and says why. */
export async function mergeApproved(
  ctx: ForgeContext,
  requestId: string,
  actor: AuditActor,
  reason: string | null,
): Promise<void> {
  await ctx.db.transaction((tx) => transitionRequest({ tx, requestId, to: "approved", actor, reason }));
  await completeMerge(ctx, requestId);
}

/** Merges an approved request; retried by the reconcile job when the forge was down. */
export async function completeMerge(ctx: ForgeContext, requestId: string): Promise<void> {
  const r = await loadRequest(ctx.db, requestId);
  if (r.state !== "approved" || r.prNumber === null) return;
  try {
    const { mergeCommitSha } = await ctx.provider.mergePullRequest(r.prNumber, {
      message: prText(r, ctx.baseUrl).title,
    });
    await applyPullRequestState(ctx, {
      requestId,
      pr: {
        number: r.prNumber,
        url: r.prUrl ?? "",
        state: "merged",
        headBranch: r.branch,
        headSha: null,
        mergeCommitSha,
      },
      actor: BERTH_ACTOR,
    });
  } catch (err) {
    if (err instanceof MergeConflictError) {
      await ctx.db.transaction((tx) =>
        transitionRequest({
          tx,
          requestId,
          to: "failed",
          actor: BERTH_ACTOR,
          reason:
            `Merge conflict${err.paths.length ? ` in ${err.paths.join(", ")}` : ""}: resolve it in the pull ` +
            `request, or cancel and request again.`,
        }),
      );
      return;
    }
    throw err;
  }
}

/** Applies what the forge says about a request's pull request (merge, close) — from Berth itself, a webhook or the reconcile job. */
export async function applyPullRequestState(
  ctx: ForgeContext,
  opts: { requestId: string; pr: PullRequestState; actor: AuditActor },
): Promise<void> {
  const { pr, actor } = opts;
  const merged = await ctx.db.transaction(async (tx) => {
    const r = await loadRequest(tx, opts.requestId);
    if (pr.state === "merged" && ["pr_open", "approved"].includes(r.state)) {
      await transitionRequest({ tx, requestId: r.id, to: "merged", actor, set: { mergeCommitSha: pr.mergeCommitSha } });
      await onMerged(tx, r);
      return r.tenant;
    } else if (pr.state === "closed" && r.state === "pr_open") {
      await transitionRequest({
        tx,
        requestId: r.id,
        to: "rejected",
        actor,
        reason: "The pull request was closed in the forge without merging.",
      });
      await onAbandoned(tx, r);
    }
    return null;
  });
  if (merged) ctx.afterMerge?.(merged);
}

async function onMerged(tx: Tx, r: LoadedRequest): Promise<void> {
  if (r.action === "decommission") {
    await tx
      .update(tenants)
      .set({ lifecycle: "decommissioning", updatedAt: sql`now()` })
      .where(eq(tenants.id, r.tenantId));
    await transitionRequest({
      tx,
      requestId: r.id,
      to: "deleting",
      actor: BERTH_ACTOR,
      reason: "Argo CD prunes the tenant's objects.",
    });
    // With a management cluster the status reader completes the deletion once the objects are gone.
    if (getConfig().cluster.mode !== "none") return;
    // Without one Berth cannot watch the objects go; it says so rather than wait forever.
    await transitionRequest({
      tx,
      requestId: r.id,
      to: "deleted",
      actor: BERTH_ACTOR,
      reason: "No management cluster connected: removal from Git is done, deletion in the cluster is not observed.",
    });
    await tx.update(tenants).set({ lifecycle: "deleted", updatedAt: sql`now()` }).where(eq(tenants.id, r.tenantId));
    return;
  }
  await tx
    .update(tenants)
    .set({
      lifecycle: "active",
      templateName: r.templateName,
      templateVersion: r.templateVersion,
      parameters: r.parameters,
      ...targetOf(r),
      updatedAt: sql`now()`,
      // A new expiry deserves a new reminder.
      remindedAt: sql`CASE WHEN ${tenants.expiresAt} IS DISTINCT FROM ${r.expiresAt} THEN NULL ELSE ${tenants.remindedAt} END`,
    })
    .where(eq(tenants.id, r.tenantId));
}

/** A create request that ends without a merge gives its name back. */
export async function onAbandoned(tx: Tx, r: Pick<LoadedRequest, "action" | "tenantId">): Promise<void> {
  if (r.action === "create")
    await tx.update(tenants).set({ lifecycle: "abandoned", updatedAt: sql`now()` }).where(eq(tenants.id, r.tenantId));
}
