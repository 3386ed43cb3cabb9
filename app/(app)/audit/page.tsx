import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, Td, Th } from "@/components/ui/table";
import { listAuditEvents } from "@/lib/audit/queries";
import { auditFilters } from "@/lib/audit/schemas";
import { can } from "@/lib/auth/policy";
import { requireViewer } from "@/lib/entry/session";
import { getDb } from "@/lib/db";

export const metadata = { title: "Audit" };

type Search = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function changeSummary(before: unknown, after: unknown): string {
  const s = (v: unknown) => (v === null || v === undefined ? "—" : JSON.stringify(v));
  return `${s(before)} → ${s(after)}`;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await requireViewer();
  const sp = await searchParams;
  const raw = {
    actor: first(sp.actor),
    team: first(sp.team),
    action: first(sp.action),
    from: first(sp.from),
    to: first(sp.to),
    page: first(sp.page),
  };
  const parsed = auditFilters.safeParse(raw);
  const errors = parsed.success
    ? {}
    : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
  const result = parsed.success ? await listAuditEvents(getDb(), viewer, parsed.data) : { rows: [], hasMore: false };
  const page = parsed.success ? parsed.data.page : 1;
  const link = (p: number) =>
    `/audit?${new URLSearchParams(Object.entries({ ...raw, page: String(p) }).filter(([, v]) => v) as [string, string][])}`;
  const fields = [
    { name: "actor", label: "Actor", type: "text", placeholder: "name or e-mail" },
    { name: "team", label: "Team", type: "text", placeholder: "e.g. payments" },
    { name: "action", label: "Action", type: "text", placeholder: "e.g. team.created or team" },
    { name: "from", label: "From", type: "datetime-local" },
    { name: "to", label: "To", type: "datetime-local" },
  ] as const;
  return (
    <>
      <PageHeader
        title="Audit"
        description={
          can(viewer, "records.view_all")
            ? "Every change in Berth: who, what, when, from where. Append-only."
            : "Changes in your teams and your own actions."
        }
      />
      <form
        method="get"
        className="mb-4 grid gap-3 rounded-lg border border-border bg-surface p-4 sm:grid-cols-3 lg:grid-cols-6 lg:items-end"
        aria-label="Filter audit events"
      >
        {fields.map((f) => (
          <div key={f.name} className="space-y-1">
            <Label htmlFor={`f-${f.name}`}>{f.label}</Label>
            <Input
              id={`f-${f.name}`}
              name={f.name}
              type={f.type}
              defaultValue={raw[f.name] ?? ""}
              placeholder={"placeholder" in f ? f.placeholder : undefined}
              aria-invalid={errors[f.name] ? true : undefined}
              aria-describedby={errors[f.name] ? `f-${f.name}-error` : undefined}
            />
            {errors[f.name] ? (
              <p id={`f-${f.name}-error`} role="alert" className="text-xs text-danger">
                {errors[f.name]}
              </p>
            ) : null}
          </div>
        ))}
        <Button type="submit">Filter</Button>
      </form>
      {result.rows.length === 0 ? (
        <EmptyState title="No audit events match">Try a wider time range or fewer filters.</EmptyState>
      ) : (
        <Table data-testid="audit-table">
          <thead>
            <tr>
              <Th>Time (UTC)</Th>
              <Th>Actor</Th>
              <Th>Action</Th>
              <Th>Subject</Th>
              <Th>Team</Th>
              <Th>Change</Th>
              <Th>Client IP</Th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r) => (
              <tr key={r.id}>
                <Td className="whitespace-nowrap font-mono text-xs">
                  {r.at.toISOString().replace("T", " ").slice(0, 19)}
                </Td>
                <Td>{r.actorLabel}</Td>
                <Td className="font-mono text-xs">{r.action}</Td>
                <Td className="text-xs">
                  {r.subjectType}: {r.subjectId}
                </Td>
                <Td>{r.team ?? "—"}</Td>
                <Td className="max-w-md break-all font-mono text-xs">
                  {changeSummary(r.before, r.after)}
                  {r.reason ? ` (${r.reason})` : ""}
                </Td>
                <Td className="font-mono text-xs">{r.clientIp ?? "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <nav aria-label="Audit pages" className="mt-4 flex items-center gap-3 text-sm">
        {page > 1 ? (
          <Link className="text-primary underline" href={link(page - 1)}>
            Newer
          </Link>
        ) : null}
        <span>Page {page}</span>
        {result.hasMore ? (
          <Link className="text-primary underline" href={link(page + 1)}>
            Older
          </Link>
        ) : null}
      </nav>
    </>
  );
}
