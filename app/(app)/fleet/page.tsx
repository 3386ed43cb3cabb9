import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { LiveUpdates } from "@/components/live-updates";
import { PhaseBadge } from "@/components/status/phase-badge";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, Td, Th } from "@/components/ui/table";
import { requireAllowed } from "@/lib/entry/session";
import { TENANT_PHASES } from "@/lib/cluster/derive";
import { getDb } from "@/lib/db";
import { clusterFreshness, listFleet } from "@/lib/status/queries";
import { TEMPLATE_KINDS } from "@/lib/templates/schema";

export const metadata = { title: "Fleet" };

type Search = { team?: string; phase?: string; kind?: string; placement?: string; page?: string };

export default async function FleetPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireAllowed("admin.pages");
  const sp = await searchParams;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(sp.page ?? "1", 10) || 1));
  const filters = {
    team: sp.team || undefined,
    phase: sp.phase || undefined,
    kind: sp.kind || undefined,
    placement: sp.placement || undefined,
    page,
  };
  const freshness = await clusterFreshness(getDb());
  const { rows, hasMore } = await listFleet(getDb(), filters, freshness);
  const link = (p: number) =>
    `/fleet?${new URLSearchParams(Object.entries({ ...sp, page: String(p) }).filter(([, v]) => v) as [string, string][])}`;
  return (
    <>
      <LiveUpdates />
      <PageHeader title="Fleet" description="Every tenant's health; failing and stale first." />
      {freshness.cluster === "none" ? (
        <p role="status" className="mb-4 rounded-md bg-warning-soft px-3 py-2 text-sm text-warning">
          No management cluster connected (BERTH_KUBECONFIG): live status is not available, phases come from requests
          only.
        </p>
      ) : freshness.cluster === "down" ? (
        <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
          The status reader is not watching the management cluster{freshness.error ? `: ${freshness.error}` : ""}. Every
          status below is stale.
        </p>
      ) : null}
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter tenants">
        <div className="space-y-1">
          <Label htmlFor="f-team">Team</Label>
          <Input id="f-team" name="team" defaultValue={sp.team ?? ""} className="w-36" />
        </div>
        <div className="space-y-1">
          <Label htmlFor="f-phase">Phase</Label>
          <NativeSelect id="f-phase" name="phase" defaultValue={sp.phase ?? ""} className="w-44">
            <option value="">any</option>
            {[...TENANT_PHASES, "Unobserved"].map((p) => (
              <option key={p}>{p}</option>
            ))}
          </NativeSelect>
        </div>
        <div className="space-y-1">
          <Label htmlFor="f-kind">Kind</Label>
          <NativeSelect id="f-kind" name="kind" defaultValue={sp.kind ?? ""} className="w-44">
            <option value="">any</option>
            {TEMPLATE_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </NativeSelect>
        </div>
        <div className="space-y-1">
          <Label htmlFor="f-placement">Placement</Label>
          <Input id="f-placement" name="placement" defaultValue={sp.placement ?? ""} className="w-36" />
        </div>
        <Button type="submit" variant="outline">
          Filter
        </Button>
      </form>
      {rows.length === 0 ? (
        <EmptyState title="No tenants match">Tenants appear here once requested.</EmptyState>
      ) : (
        <Table data-testid="fleet-table">
          <thead>
            <tr>
              <Th>Tenant</Th>
              <Th>Team</Th>
              <Th>Kind</Th>
              <Th>Placement</Th>
              <Th>Phase</Th>
              <Th>Message</Th>
              <Th>Last seen</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <Td>
                  <Link
                    className="font-medium text-primary underline-offset-2 hover:underline"
                    href={`/tenants/${r.name}`}
                  >
                    {r.name}
                  </Link>
                </Td>
                <Td>{r.team}</Td>
                <Td>{r.kind}</Td>
                <Td>{r.placement}</Td>
                <Td>
                  <PhaseBadge phase={r.phase} stale={r.stale} />
                </Td>
                <Td className="max-w-xs text-xs">{r.message ?? "—"}</Td>
                <Td className="whitespace-nowrap font-mono text-xs">
                  {r.observedAt ? r.observedAt.toISOString().replace("T", " ").slice(0, 19) : "never"}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <nav aria-label="Fleet pages" className="mt-4 flex gap-3 text-sm">
        {page > 1 ? (
          <Link className="text-primary underline" href={link(page - 1)}>
            Previous
          </Link>
        ) : null}
        <span>Page {page}</span>
        {hasMore ? (
          <Link className="text-primary underline" href={link(page + 1)}>
            Next
          </Link>
        ) : null}
      </nav>
    </>
  );
}
