import semver from "semver";
import { z } from "zod";

export const TEMPLATE_KINDS = ["sandbox", "shared-vcluster", "dedicated-onprem", "dedicated-aks"] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

// Which kind of placement target each template kind lands on.
export const PLACEMENT_KIND_OF: Record<TemplateKind, "vcluster-host" | "tanzu" | "aks"> = {
  sandbox: "vcluster-host",
  "shared-vcluster": "vcluster-host",
  "dedicated-onprem": "tanzu",
  "dedicated-aks": "aks",
};

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/, "a DNS-1123 label of at most 40 characters");
const ref = z.string().regex(/^[a-z0-9-]+@\d+\.\d+\.\d+$/, "name@version, e.g. shared-vcluster@1.0.0");

// A template lists exactly what its tenants' Applications may do; Berth writes it into the tenant's
// folder and bootstrap/team-projects turns it into the team's AppProject. Nothing is `*`.
const projectSection = z
  .object({
    // Helm chart repositories its Applications install from (the GitOps repository is always allowed).
    sourceRepos: z.array(z.string()).default([]),
    // Clusters and namespaces its objects land in (server URL, or name of a registered cluster).
    destinations: z
      .array(
        z
          .object({ server: z.string().optional(), name: z.string().optional(), namespace: z.string() })
          .strict()
          .refine((d) => (d.server === undefined) !== (d.name === undefined), "give server or name, not both"),
      )
      .default([]),
    // Every cluster-scoped object its files and the charts they install create, by group, kind and name.
    clusterResources: z
      .array(z.object({ group: z.string(), kind: z.string().min(1), name: z.string().min(1) }).strict())
      .default([]),
  })
  .strict();

/** template.yaml: everything about a template except its files. */
export const templateManifest = z
  .object({
    name,
    version: z.string().refine((v) => semver.valid(v) === v, "a semantic version such as 1.2.0"),
    kind: z.enum(TEMPLATE_KINDS),
    title: z.string().min(1).max(80),
    description: z.string().max(1000).default(""),
    parameters: z.object({ type: z.literal("object"), properties: z.record(z.string(), z.unknown()) }).passthrough(),
    policy: z
      .object({
        autoApprove: z.boolean().default(false),
        // Team roles that may request it; platform admins always may.
        allowedRoles: z.array(z.enum(["member", "owner"])).default(["member", "owner"]),
        // Sandboxes belong to a person, not a team's shared quota.
        perUser: z.boolean().default(false),
        // Four-eyes exception: may the requester approve (or auto-approve) their own request?
        selfApproval: z.boolean().default(false),
        ttl: z
          .object({ defaultHours: z.number().int().min(1), maxHours: z.number().int().min(1) })
          .refine((t) => t.defaultHours <= t.maxHours, "defaultHours must not exceed maxHours")
          .optional(),
      })
      .strict(),
    values: z.record(z.string(), z.unknown()).default({}),
    outputs: z.record(z.string().regex(/^[a-zA-Z]+$/), z.string()).default({}),
    // What a tenant counts against its team's quota, as Kubernetes quantities (may use expressions).
    quota: z.object({ cpu: z.string(), memory: z.string() }).strict().optional(),
    // Render another template's files with this template's parameters (sandbox reuses shared-vcluster).
    filesFrom: ref.optional(),
    // What the team's Argo CD AppProject permits for a tenant of this template (expressions allowed).
    project: projectSection.optional(),
  })
  .strict();

export type TemplateManifest = z.infer<typeof templateManifest>;

export type TemplateFile = { name: string; body: unknown[] }; // parsed YAML documents

export type Template = TemplateManifest & {
  source: { kind: "builtin" | "git"; path: string };
  files: TemplateFile[];
};

export type TemplateLoadError = { source: "builtin" | "git"; file: string; error: string };

export const templateRef = (t: { name: string; version: string }) => `${t.name}@${t.version}`;
