"use server";
import { z } from "zod";
import { authedAction } from "@/lib/entry/action";
import { auditActorFor } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { createTeamInput, groupIdSchema, teamRoleSchema, teamSlug } from "@/lib/teams/schemas";
import { createTeam, mapTeamGroup, unmapTeamGroup } from "@/lib/teams/services";

const mapGroupInput = () => {
  const { provider, groupPrefix } = getConfig().auth;
  return z.object({
    team: teamSlug,
    groupId: groupIdSchema({ provider: provider.kind, prefix: groupPrefix }),
    role: teamRoleSchema,
  });
};

/** Platform admins create a team (audited). */
export const createTeamAction = authedAction(
  {
    name: "createTeam",
    may: "team.create",
    schema: createTeamInput,
    revalidate: ["/teams"],
    redirectTo: (t: { slug: string }) => `/teams/${t.slug}?created=1`,
  },
  async ({ viewer, input }) => createTeam({ db: getDb(), actor: await auditActorFor(viewer), input }),
);

/** Platform admins map a directory group to a team with a role (audited). */
export const mapTeamGroupAction = authedAction(
  { name: "mapTeamGroup", may: "team.manage", schema: mapGroupInput, revalidate: ["/teams"] },
  async ({ viewer, input }) => {
    await mapTeamGroup({
      db: getDb(),
      actor: await auditActorFor(viewer),
      teamSlug: input.team,
      groupId: input.groupId,
      role: input.role,
    });
    return { groupId: input.groupId };
  },
);

/** Platform admins remove a group mapping (audited). */
export const unmapTeamGroupAction = authedAction(
  {
    name: "unmapTeamGroup",
    may: "team.manage",
    schema: z.object({ team: teamSlug, groupId: z.string().min(1).max(256) }),
    revalidate: ["/teams"],
  },
  async ({ viewer, input }) => {
    await unmapTeamGroup({
      db: getDb(),
      actor: await auditActorFor(viewer),
      teamSlug: input.team,
      groupId: input.groupId,
    });
    return { groupId: input.groupId };
  },
);
