import { and, eq } from "drizzle-orm";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requests } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import { requireViewer } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { getRequestDetail } from "@/lib/requests/queries";
import { getForgeContext } from "@/lib/entry/forge-context";

export const metadata = { title: "Pull request" };

// The local provider's pull requests (embedded default): Berth keeps them, so Berth shows them.
export default async function LocalPullRequestPage({ params }: { params: Promise<{ number: string }> }) {
  const viewer = await requireViewer();
  const { number } = await params;
  if (getConfig().gitops.provider !== "local" || !/^\d{1,9}$/.test(number)) notFound();
  const [owner] = await getDb()
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.prNumber, Number(number))));
  // Visible to whoever may see the request it belongs to; other pull requests to platform admins.
  const detail = owner ? await getRequestDetail(getDb(), viewer, owner.id) : null;
  if (!detail && !can(viewer, "admin.pages")) notFound();
  const pr = await getForgeContext()
    .provider.getPullRequest(Number(number))
    .catch(() => null);
  if (!pr) notFound();
  return (
    <>
      <PageHeader
        title={`Pull request #${pr.number}`}
        description={`${pr.headBranch} → ${getConfig().gitops.baseBranch} in the local GitOps repository`}
        actions={<Badge data-testid="pr-state">{pr.state}</Badge>}
      />
      <Card className="space-y-2 text-sm">
        <p>
          Head <code className="font-mono text-xs">{pr.headSha ?? "—"}</code>
        </p>
        {pr.mergeCommitSha ? (
          <p>
            Merged as <code className="font-mono text-xs">{pr.mergeCommitSha}</code>
          </p>
        ) : null}
        {detail ? (
          <p>
            <a className="text-primary underline" href={`/requests/${detail.id}`}>
              Open the request in Berth
            </a>{" "}
            to see the diff, the timeline and the decision.
          </p>
        ) : null}
      </Card>
    </>
  );
}
