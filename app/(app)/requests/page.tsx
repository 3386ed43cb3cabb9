import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { LiveUpdates } from "@/components/live-updates";
import { RequestTable } from "@/components/requests/request-table";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect, Input } from "@/components/ui/input";
import { requestState } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import { requireViewer } from "@/lib/entry/session";
import { getDb } from "@/lib/db";
import { listRequests } from "@/lib/requests/queries";

export const metadata = { title: "Requests" };

type Search = { state?: string; team?: string; mine?: string };

export default async function RequestsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await requireViewer();
  const sp = await searchParams;
  const state = requestState.enumValues.find((s) => s === sp.state);
  const rows = await listRequests(getDb(), viewer, {
    state: state ? [state] : undefined,
    team: sp.team || undefined,
    mine: sp.mine === "1",
  });
  return (
    <>
      <LiveUpdates />
      <PageHeader
        title="Requests"
        description={
          can(viewer, "records.view_all")
            ? "Every request in Berth, newest first."
            : "Your requests and those of your teams, each tracked as a pull request."
        }
        actions={
          <Button asChild>
            <Link href="/catalog">New request</Link>
          </Button>
        }
      />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter requests">
        <div className="space-y-1">
          <Label htmlFor="f-state">State</Label>
          <NativeSelect id="f-state" name="state" defaultValue={state ?? ""} className="w-48">
            <option value="">any</option>
            {requestState.enumValues.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="space-y-1">
          <Label htmlFor="f-team">Team</Label>
          <Input id="f-team" name="team" defaultValue={sp.team ?? ""} className="w-40" />
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" name="mine" value="1" defaultChecked={sp.mine === "1"} /> Only mine
        </label>
        <Button type="submit" variant="outline">
          Filter
        </Button>
      </form>
      {rows.length === 0 ? (
        <EmptyState title="No requests yet">
          Pick a template in the catalog to request a sandbox, a shared vCluster or a dedicated cluster.
        </EmptyState>
      ) : (
        <RequestTable rows={rows} />
      )}
    </>
  );
}
