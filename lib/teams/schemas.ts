import { z } from "zod";

export const teamSlug = z
  .string({ error: "Enter a team name." })
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(32, "Use at most 32 characters: it becomes part of Kubernetes names.")
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "Use lowercase letters, digits and hyphens; start and end with a letter or digit.",
  );

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Group names as IdPs emit them (Keycloak paths, AD sAMAccountName, Dex "org:team").
const GROUP_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._:/@&()'-]*$/u;

/** A directory group ID: an Entra object ID when Entra is the provider, else a group name. */
export function groupIdSchema(opts: { provider: "dev" | "entra" | "oidc"; prefix: string }) {
  return z
    .string({ error: "Enter a directory group." })
    .trim()
    .min(1, "Enter a directory group.")
    .max(256, "Use at most 256 characters.")
    .refine((v) => !/\p{Cc}/u.test(v), "Control characters are not allowed.")
    .refine(
      (v) => (opts.provider === "entra" ? GUID.test(v) : GROUP_NAME.test(v)),
      opts.provider === "entra"
        ? "Enter the group's object ID from Entra ID (a GUID such as 3f2a…-…)."
        : "Use letters, digits, spaces and . _ : / @ & ( ) ' -; start with a letter or digit.",
    )
    .refine(
      (v) => v.startsWith(opts.prefix),
      `Must start with the configured group prefix "${opts.prefix}", or it can never match.`,
    );
}

export const teamRoleSchema = z.enum(["member", "owner"], { error: "Choose member or owner." });

export const createTeamInput = z.object({
  slug: teamSlug,
  displayName: z
    .string({ error: "Enter a display name." })
    .trim()
    .min(1, "Enter a display name.")
    .max(80, "Use at most 80 characters."),
  description: z.string().trim().max(500, "Use at most 500 characters.").default(""),
});

export type CreateTeamInput = z.infer<typeof createTeamInput>;
