import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import type { RequestSummary } from "@/lib/requests/queries";
import { StateBadge } from "./state-badge";

export function RequestTable({ rows, testId = "requests-table" }: { rows: RequestSummary[]; testId?: string }) {
  return (
    <Table data-testid={testId}>
      <thead>
        <tr>
          <Th>Request</Th>
          <Th>Tenant</Th>
          <Th>Team</Th>
          <Th>Template</Th>
          <Th>State</Th>
          <Th>Pull request</Th>
          <Th>Requested</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <Td>
              <Link className="font-medium text-primary underline-offset-2 hover:underline" href={`/requests/${r.id}`}>
                {r.action}
              </Link>
            </Td>
            <Td className="font-mono text-xs">{r.tenant}</Td>
            <Td>{r.team}</Td>
            <Td className="font-mono text-xs">{r.template}</Td>
            <Td>
              <StateBadge state={r.state} />
              {r.lastError && r.state === "submitted" ? (
                <span className="ml-1 text-xs text-danger">retrying</span>
              ) : null}
            </Td>
            <Td>
              {r.prUrl ? (
                <a className="text-primary underline" href={r.prUrl}>
                  #{r.prNumber}
                </a>
              ) : (
                "—"
              )}
            </Td>
            <Td className="whitespace-nowrap text-xs">
              {r.requestedBy}
              <br />
              <span className="text-muted">{r.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC</span>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
