import { EmptyState, PageHeader } from "@/components/page-header";
import { BulkSandboxForm } from "@/components/sandboxes/bulk-form";
import { Card, CardTitle } from "@/components/ui/card";
import { requireAllowed } from "@/lib/entry/session";
import { getDb } from "@/lib/db";
import { listAllSandboxes, recentJobRuns } from "@/lib/sandboxes/queries";

export const metadata = { title: "Sandboxes" };

const days = (d: Date) => `${Math.max(0, Math.floor((Date.now() - d.getTime()) / 86_400_000))} d`;

export default async function SandboxesPage() {
  await requireAllowed("admin.pages");
  const [rows, runs] = await Promise.all([listAllSandboxes(getDb()), recentJobRuns(getDb(), "sandbox-expiry")]);
  return (
    <>
      <PageHeader
        title="Sandboxes"
        description="Every personal sandbox, soonest expiry first. Expired ones are removed by the expiry job."
      />
      {rows.length === 0 ? (
        <EmptyState title="No sandboxes">People get one with “Get a sandbox” on their home page.</EmptyState>
      ) : (
        <BulkSandboxForm
          rows={rows.map((r) => ({
            ...r,
            createdAt: r.createdAt.toISOString(),
            expiresAt: r.expiresAt?.toISOString() ?? null,
            age: days(r.createdAt),
          }))}
        />
      )}
      <Card aria-labelledby="runs-h" className="mt-6">
        <CardTitle id="runs-h">Expiry job runs</CardTitle>
        {runs.length === 0 ? (
          <p className="mt-2 text-sm text-muted">The job has not run yet (it runs every minute while Berth is up).</p>
        ) : (
          <ul className="mt-2 space-y-1 font-mono text-xs" data-testid="job-runs">
            {runs.map((r) => (
              <li key={r.startedAt.toISOString()}>
                {r.startedAt.toISOString().replace("T", " ").slice(0, 19)}{" "}
                {r.error ? <span className="text-danger">failed: {r.error}</span> : JSON.stringify(r.outcome)}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
