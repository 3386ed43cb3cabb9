import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { Card, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { requireViewer } from "@/lib/auth/session";

export const metadata = { title: "Home" };

export default async function HomePage() {
  const viewer = await requireViewer();
  return (
    <>
      <PageHeader title={`Welcome, ${viewer.name.split(" ")[0]}`} description="Your tenants, your requests and your teams." />
      <div className="grid gap-4 md:grid-cols-2">
        <Card aria-labelledby="tenants-h">
          <CardTitle id="tenants-h">My tenants</CardTitle>
          <div className="mt-3">
            <EmptyState title="No tenants yet">Sandboxes and team environments you request will appear here.</EmptyState>
          </div>
        </Card>
        <Card aria-labelledby="requests-h">
          <CardTitle id="requests-h">My requests</CardTitle>
          <div className="mt-3">
            <EmptyState title="No requests yet">Each request becomes a pull request against the GitOps repository.</EmptyState>
          </div>
        </Card>
        <Card aria-labelledby="teams-h" className="md:col-span-2">
          <CardTitle id="teams-h">My teams</CardTitle>
          {viewer.teams.length === 0 ? (
            <p className="mt-2 text-sm text-muted" data-testid="no-teams">
              You are not in any team yet. Team membership comes from your directory groups; ask your platform team to map your group to a team.
            </p>
          ) : (
            <ul className="mt-3 flex flex-wrap gap-2" data-testid="my-teams">
              {viewer.teams.map((t) => (
                <li key={t.slug}>
                  <Link href={`/teams/${t.slug}`} className="flex items-center gap-2 rounded-md border border-border px-3 py-1.5 text-sm hover:bg-background">
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
