import { notFound } from "next/navigation";
import { EmptyState, PageHeader } from "@/components/page-header";
import { MapGroupForm, UnmapGroupButton } from "@/components/teams/group-mapping";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/policy";
import { requireViewer } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { getTeamDetail } from "@/lib/teams/queries";

export default async function TeamPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const viewer = await requireViewer();
  const { slug } = await params;
  const team = await getTeamDetail(getDb(), viewer, slug);
  // Other teams' pages look exactly like missing ones: no existence leak.
  if (!team) notFound();
  const { created } = await searchParams;
  const { provider, groupPrefix } = getConfig().auth;
  const hint =
    provider.kind === "entra"
      ? "The group's object ID in Entra ID."
      : groupPrefix
        ? `A group name starting with "${groupPrefix}".`
        : "A group name as your identity provider sends it.";
  return (
    <>
      <PageHeader title={team.displayName} description={team.description || `Team ${team.slug}`} />
      {created ? (
        <p role="status" className="mb-4 rounded-md bg-warning-soft px-3 py-2 text-sm text-warning">
          Team created. Map a directory group so its members join.
        </p>
      ) : null}
      <div className="grid gap-4">
        <Card aria-labelledby="groups-h">
          <CardTitle id="groups-h">Directory groups</CardTitle>
          <p className="mb-3 mt-1 text-sm text-muted">
            Members of these groups join the team at their next sign-in; known users are updated at once.
          </p>
          {team.groups.length === 0 ? (
            <EmptyState title="No groups mapped">Nobody can be a member until a group is mapped.</EmptyState>
          ) : (
            <Table data-testid="team-groups">
              <thead>
                <tr>
                  <Th>Group</Th>
                  <Th>Role</Th>
                  {can(viewer, "team.manage") ? (
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {team.groups.map((g) => (
                  <tr key={g.groupId}>
                    <Td className="font-mono text-xs">{g.groupId}</Td>
                    <Td>
                      <Badge>{g.role}</Badge>
                    </Td>
                    {can(viewer, "team.manage") ? (
                      <Td className="text-right">
                        <UnmapGroupButton team={team.slug} groupId={g.groupId} />
                      </Td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {can(viewer, "team.manage") ? (
            <div className="mt-4">
              <MapGroupForm team={team.slug} hint={hint} />
            </div>
          ) : null}
        </Card>
        <Card aria-labelledby="members-h">
          <CardTitle id="members-h">Members</CardTitle>
          {team.members.length === 0 ? (
            <p className="mt-2 text-sm text-muted">
              No members yet: people join when they sign in with a mapped group.
            </p>
          ) : (
            <ul className="mt-2 divide-y divide-border" data-testid="team-members">
              {team.members.map((m) => (
                <li key={`${m.name}-${m.email}`} className="flex items-center justify-between py-2 text-sm">
                  <span>
                    {m.name} <span className="text-muted">{m.email}</span>
                  </span>
                  <Badge>{m.role}</Badge>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
