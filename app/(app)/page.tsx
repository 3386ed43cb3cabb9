import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { Card, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { can } from "@/lib/auth/policy";
import { requireViewer } from "@/lib/entry/session";
import { LiveUpdates } from "@/components/live-updates";
import { RequestTable } from "@/components/requests/request-table";
import { getDb } from "@/lib/db";
import { listRequests } from "@/lib/requests/queries";
import { listTenants } from "@/lib/tenants/queries";
import { getConfig } from "@/lib/config";
import { Countdown } from "@/components/sandboxes/countdown";
import { GetSandboxButton } from "@/components/sandboxes/sandbox-forms";

export const metadata = { title: "Home" };

export default async function HomePage() {
  const viewer = await requireViewer();
  const [tenants, requests, mine] = await Promise.all([
    listTenants(getDb(), viewer, { mine: !can(viewer, "records.view_all") && viewer.teams.length === 0 }),
    listRequests(getDb(), viewer, { mine: true, limit: 10 }),
    listTenants(getDb(), viewer, { mine: true }),
  ]);
  const sandboxes = mine.filter((t) => t.kind === "sandbox");
  const maySandbox = sandboxes.length < getConfig().quotas.sandboxesPerUser;
  return (
    <>
      <LiveUpdates />
      <PageHeader
        title={`Welcome, ${viewer.name.split(" ")[0]}`}
        description="Your tenants, your requests and your teams."
      />
      <div className="grid gap-4 md:grid-cols-2">
        <Card aria-labelledby="sandbox-h" className="md:col-span-2" data-testid="sandbox-card">
          <CardTitle id="sandbox-h">Sandbox</CardTitle>
          <p className="mt-1 text-sm text-muted">
            A throw-away virtual cluster for you alone: approved automatically, gone when it expires.
          </p>
          <ul className="mt-2 space-y-1 text-sm">
            {sandboxes.map((t) => (
              <li key={t.name}>
                <Link className="font-medium text-primary underline" href={`/tenants/${t.name}`}>
                  {t.name}
                </Link>{" "}
                <Badge>{t.lifecycle}</Badge>
                {t.expiresAt ? (
                  <>
                    {" "}
                    · <Countdown expiresAt={t.expiresAt.toISOString()} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          {maySandbox ? (
            <div className="mt-3">
              <GetSandboxButton />
            </div>
          ) : null}
        </Card>
        <Card aria-labelledby="tenants-h" className="md:col-span-2">
          <CardTitle id="tenants-h">My tenants</CardTitle>
          <div className="mt-3">
            {tenants.length === 0 ? (
              <EmptyState title="No tenants yet">
                Sandboxes and team environments you request will appear here.
              </EmptyState>
            ) : (
              <ul className="divide-y divide-border text-sm" data-testid="my-tenants">
                {tenants.map((t) => (
                  <li key={t.name} className="flex items-center justify-between gap-2 py-2">
                    <Link
                      className="font-medium text-primary underline-offset-2 hover:underline"
                      href={`/tenants/${t.name}`}
                    >
                      {t.name}
                    </Link>
                    <span className="text-xs text-muted">
                      {t.team} · {t.kind} · <Badge>{t.lifecycle}</Badge>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </Card>
        <Card aria-labelledby="requests-h" className="md:col-span-2">
          <CardTitle id="requests-h">My requests</CardTitle>
          <div className="mt-3">
            {requests.length === 0 ? (
              <EmptyState title="No requests yet">
                Each request becomes a pull request against the GitOps repository.
              </EmptyState>
            ) : (
              <RequestTable rows={requests} testId="my-requests" />
            )}
          </div>
        </Card>
        <Card aria-labelledby="teams-h" className="md:col-span-2">
          <CardTitle id="teams-h">My teams</CardTitle>
          {viewer.teams.length === 0 ? (
            <p className="mt-2 text-sm text-muted" data-testid="no-teams">
              You are not in any team yet. Team membership comes from your directory groups; ask your platform team to
              map your group to a team.
            </p>
          ) : (
            <ul className="mt-3 flex flex-wrap gap-2" data-testid="my-teams">
              {viewer.teams.map((t) => (
                <li key={t.slug}>
                  <Link
                    href={`/teams/${t.slug}`}
                    className="flex items-center gap-2 rounded-md border border-border px-3 py-1.5 text-sm hover:bg-background"
                  >
                    {t.displayName} <Badge>{t.role}</Badge>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
