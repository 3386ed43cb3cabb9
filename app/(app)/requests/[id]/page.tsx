import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { LiveUpdates } from "@/components/live-updates";
import { ApproveRejectForms, RequesterForms } from "@/components/requests/decision-forms";
import { DiffView } from "@/components/requests/diff-view";
import { PreviewNote } from "@/components/requests/preview-note";
import { StateBadge, stateLabel } from "@/components/requests/state-badge";
import { Card, CardTitle } from "@/components/ui/card";
import { can, decide } from "@/lib/auth/policy";
import { requireViewer } from "@/lib/entry/session";
import { getDb } from "@/lib/db";
import { currentFiles } from "@/lib/tenants/files";
import { diffChanges } from "@/lib/requests/diff";
import { getRequestDetail } from "@/lib/requests/queries";
import { canTransition } from "@/lib/requests/state";

export const metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireViewer();
  const { id } = await params;
  const r = await getRequestDetail(getDb(), viewer, id);
  if (!r) notFound();
  const files = diffChanges(await currentFiles(getDb(), r.tenantId, r.createdAt), r.changes);
  // The same policy and lifecycle the services check (lib/requests/decisions.ts).
  const subject = { requestedBy: r.requestedById, selfApproval: r.selfApproval };
  const approval = decide(viewer, "request.approve", subject);
  const open = canTransition(r.state, "approved", r.action);
  const mayDecide = open && approval.allowed && can(viewer, "request.reject", subject);
  return (
    <>
      <LiveUpdates tenants={[r.tenant]} />
      <PageHeader
        title={`${r.action[0]!.toUpperCase()}${r.action.slice(1)} ${r.tenant}`}
        description={`Team ${r.team} · ${r.template} · requested by ${r.requestedBy}`}
        actions={<StateBadge state={r.state} />}
      />
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <div className="space-y-4">
          {r.state === "failed" || (r.state === "submitted" && r.lastError) ? (
            <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
              {r.state === "failed" ? r.reason : `Opening the pull request failed and is being retried: ${r.lastError}`}
            </p>
          ) : null}
          {mayDecide ? (
            <Card aria-labelledby="decide-h">
              <CardTitle id="decide-h" className="mb-3">
                Decision
              </CardTitle>
              <ApproveRejectForms requestId={r.id} tenant={r.tenant} />
            </Card>
          ) : open && can(viewer, "request.reject", subject) && !approval.allowed ? (
            <p className="rounded-md bg-warning-soft px-3 py-2 text-sm text-warning">
              Four eyes: another platform admin has to approve your own request.
            </p>
          ) : null}
          <RequesterForms
            requestId={r.id}
            canCancel={can(viewer, "request.cancel", subject) && canTransition(r.state, "cancelled", r.action)}
            canRetry={can(viewer, "request.retry", subject) && canTransition(r.state, "submitted", r.action)}
          />
          <Card aria-labelledby="files-h">
            <CardTitle id="files-h" className="mb-3">
              Changes to the GitOps repository
            </CardTitle>
            <PreviewNote fingerprint={r.previewFingerprint} action={r.action} />
            <DiffView files={files} />
          </Card>
        </div>
        <div className="space-y-4">
          <Card aria-labelledby="pr-h">
            <CardTitle id="pr-h">Pull request</CardTitle>
            <p className="mt-2 text-sm">
              {r.prUrl ? (
                <a className="text-primary underline" href={r.prUrl} data-testid="pr-link">
                  #{r.prNumber} on the GitOps repository
                </a>
              ) : (
                "Not opened yet."
              )}
            </p>
            {r.mergeCommitSha ? (
              <p className="mt-1 break-all font-mono text-xs text-muted">merge {r.mergeCommitSha}</p>
            ) : null}
          </Card>
          <Card aria-labelledby="timeline-h">
            <CardTitle id="timeline-h">Timeline</CardTitle>
            <ol className="mt-2 space-y-2 text-sm" data-testid="timeline">
              {r.timeline.map((t) => (
                // A request enters a state at most once per instant, so time and state name an entry.
                <li key={`${t.at.toISOString()}:${t.to}`} className="border-l-2 border-primary pl-3">
                  <span className="font-medium">{stateLabel(t.to)}</span>{" "}
                  <span className="text-muted">by {t.actor}</span>
                  <br />
                  <time className="font-mono text-xs text-muted" dateTime={t.at.toISOString()}>
                    {t.at.toISOString().replace("T", " ").slice(0, 19)} UTC
                  </time>
                  {t.reason ? <p className="text-xs">{t.reason}</p> : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
      </div>
    </>
  );
}
