import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/policy";
import { requireViewer } from "@/lib/entry/session";
import { getDb } from "@/lib/db";
import { listTeams } from "@/lib/teams/queries";

export const metadata = { title: "Teams" };

export default async function TeamsPage() {
  const viewer = await requireViewer();
  const teams = await listTeams(getDb(), viewer);
  return (
    <>
      <PageHeader
        title="Teams"
        description={
          can(viewer, "records.view_all")
            ? "All teams and the directory groups that grant membership."
            : "Teams you belong to through your directory groups."
        }
        actions={
          can(viewer, "team.create") ? (
            <Button asChild>
              <Link href="/teams/new">New team</Link>
            </Button>
          ) : null
        }
      />
      {teams.length === 0 ? (
        <EmptyState title={can(viewer, "team.create") ? "No teams yet" : "You are not in any team yet"}>
          {can(viewer, "team.create")
            ? "Create a team and map a directory group to it."
            : "Ask your platform team to map one of your directory groups to a team."}
        </EmptyState>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Team</Th>
              <Th>Description</Th>
              <Th>Members</Th>
              <Th>Your role</Th>
            </tr>
          </thead>
          <tbody>
            {teams.map((t) => (
              <tr key={t.slug}>
                <Td>
                  <Link
                    className="font-medium text-primary underline-offset-2 hover:underline"
                    href={`/teams/${t.slug}`}
                  >
                    {t.displayName}
                  </Link>{" "}
                  <span className="text-muted">({t.slug})</span>
                </Td>
                <Td className="text-muted">{t.description || "—"}</Td>
                <Td>{t.members}</Td>
                <Td>{t.myRole ? <Badge>{t.myRole}</Badge> : "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
