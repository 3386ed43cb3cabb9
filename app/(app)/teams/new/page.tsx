import { PageHeader } from "@/components/page-header";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { requireAllowed } from "@/lib/entry/session";

export const metadata = { title: "New team" };

export default async function NewTeamPage() {
  await requireAllowed("team.create");
  return (
    <>
      <PageHeader
        title="New team"
        description="After creating it, map the directory groups whose members belong to it."
      />
      <CreateTeamForm />
    </>
  );
}
