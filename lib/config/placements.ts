import "server-only";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";

// Where tenants land, configured by the platform team in a YAML file (BERTH_PLACEMENTS_FILE).
const label = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/, "a DNS-1123 label of at most 40 characters");
const hostname = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS name such as apps.example.com");
const labelMap = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]{1,63}$/, "a label key"),
  z.string().max(63),
);
const toleration = z
  .object({
    key: z.string().min(1),
    operator: z.enum(["Equal", "Exists"]).default("Equal"),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
  })
  .strict();
const nodePool = z
  .object({
    name: label,
    title: z.string().optional(),
    nodeSelector: labelMap.default({}),
    tolerations: z.array(toleration).default([]),
  })
  .strict();
const common = {
  name: label,
  title: z.string().min(1).max(80),
  destination: z.url(),
  domain: hostname,
  secretStore: z.string().default("berth-cluster-registration"),
};

export const placementSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("vcluster-host"),
      ...common,
      ingressClass: z.string().default("nginx"),
      clusterIssuer: z.string().default("letsencrypt"),
      nodePools: z
        .array(nodePool)
        .min(1)
        .superRefine((pools, ctx) =>
          pools.forEach((p, i) => {
            if (pools.findIndex((q) => q.name === p.name) < i)
              ctx.addIssue({ code: "custom", path: [i, "name"], message: `node pool "${p.name}" is listed twice` });
          }),
        ),
      kubernetesVersions: z.array(z.string()).min(1).default(["1.32", "1.31", "1.30"]),
    })
    .strict(),
  z
    .object({
      kind: z.literal("tanzu"),
      ...common,
      supervisorNamespace: label,
      clusterClass: z.string().default("tanzukubernetescluster"),
      vmClasses: z.array(z.string()).min(1),
      storageClasses: z.array(z.string()).min(1),
      kubernetesVersions: z.array(z.string()).min(1),
    })
    .strict(),
  z
    .object({
      kind: z.literal("aks"),
      ...common,
      subscriptionId: z.uuid(),
      location: z.string().regex(/^[a-z0-9]+$/),
      namespace: label,
      credentialSecret: z.string().default("aso-credential"),
      vmSizes: z.array(z.string()).min(1),
      kubernetesVersions: z.array(z.string()).min(1),
    })
    .strict(),
]);

export type Placement = z.infer<typeof placementSchema>;
export type VclusterHostPlacement = Extract<Placement, { kind: "vcluster-host" }>;

const fileSchema = z
  .object({ placements: z.array(placementSchema).min(1) })
  .refine(
    (f) => new Set(f.placements.map((p) => p.name)).size === f.placements.length,
    "placement names must be unique",
  );

// Without a file: the management cluster itself (Argo CD's in-cluster destination), one pool
// without a selector. Dedicated kinds need real targets, so none is invented for them.
export const DEFAULT_PLACEMENTS: Placement[] = fileSchema.parse({
  placements: [
    {
      kind: "vcluster-host",
      name: "in-cluster",
      title: "Management cluster (in-cluster)",
      destination: "https://kubernetes.default.svc",
      domain: "berth.localhost",
      nodePools: [{ name: "shared", title: "Shared pool (no node selector)" }],
    },
  ],
}).placements;

/** Reads and validates the placements file; the error names the entry and the field. */
export function loadPlacements(file: string | undefined): Placement[] {
  if (!file) return DEFAULT_PLACEMENTS;
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${file}: ${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  return parsed.data.placements;
}
