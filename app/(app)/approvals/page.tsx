import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { ApproveRejectForms } from "@/components/requests/decision-forms";
import { DiffView } from "@/components/requests/diff-view";
import { PreviewNote } from "@/components/requests/preview-note";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/policy";
import { requireAllowed } from "@/lib/entry/session";
import { getDb } from "@/lib/db";
import { currentFiles } from "@/lib/tenants/files";
import { diffChanges } from "@/lib/requests/diff";
import { getRequestDetail, listRequests } from "@/lib/requests/queries";

export const metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const viewer = await requireAllowed("admin.pages");
  const open = await listRequests(getDb(), viewer, { state: ["pr_open"] });
  const details = (await Promise.all(open.map((r) => getRequestDetail(getDb(), viewer, r.id)))).filter(
    (d) => d !== null,
  );
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Requests waiting for a platform engineer: read the diff, then approve (Berth merges) or reject with a reason."
      />
      {details.length === 0 ? (
        <EmptyState title="Nothing awaiting approval">
          New requests appear here once their pull request is open.
        </EmptyState>
      ) : (
        <ul className="space-y-4" data-testid="approvals">
          {
            await Promise.all(
              details.map(async (r) => (
                <li key={r.id}>
                  <Card className="space-y-3" aria-label={`${r.action} ${r.tenant}`}>
                    <div className="flex flex-wrap items-baseline justify-between gap-2">
                      <h2 className="text-base font-semibold">
                        <Link className="text-primary underline-offset-2 hover:underline" href={`/requests/${r.id}`}>
                          {r.action} {r.tenant}
                        </Link>
                      </h2>
                      <p className="text-sm text-muted">
                        team {r.team} · <span className="font-mono">{r.template}</span> · by {r.requestedBy} ·{" "}
                        {r.prUrl ? (
                          <a className="text-primary underline" href={r.prUrl}>
                            PR #{r.prNumber}
                          </a>
                        ) : null}
                      </p>
                    </div>
                    <PreviewNote fingerprint={r.previewFingerprint} action={r.action} />
                    <DiffView files={diffChanges(await currentFiles(getDb(), r.tenantId, r.createdAt), r.changes)} />
                    {!can(viewer, "request.approve", { requestedBy: r.requestedById, selfApproval: r.selfApproval }) ? (
                      <p className="rounded-md bg-warning-soft px-3 py-2 text-sm text-warning">
                        Four eyes: this is your own request; another platform admin has to approve it.
                      </p>
                    ) : (
                      <ApproveRejectForms requestId={r.id} tenant={r.tenant} />
                    )}
                  </Card>
                </li>
              )),
            )
          }
        </ul>
      )}
    </>
  );
}
