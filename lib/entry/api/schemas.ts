// Shapes of API inputs. Only the transport is checked here (types, lengths); what a value means
// (tenant name rules, team membership, parameters) is validated by the services, as for the UI.
import { z } from "zod";
import { requestAction, requestState } from "@/db/schema";

const text = (max: number, what: string) =>
  z.string({ error: `Give ${what} as a string.` }).max(max, `Use at most ${max} characters.`);
const parameters = z.record(z.string(), z.unknown(), { error: "Parameters must be a JSON object." });
// The fingerprint POST /api/v1/previews answered; its format is checked where it is looked up.
const previewFingerprint = text(100, "the preview fingerprint").optional();

export const createBody = z.object({
  action: z.literal("create"),
  template: text(60, "the template name").min(1, "Choose a template."),
  version: text(40, "the template version").optional(),
  team: text(40, "the team").min(1, "Choose a team."),
  // The name rules live in prepareTenant; here only a bound, so every name problem reads the same as in the UI.
  tenantName: text(200, "the tenant name"),
  placement: text(200, "the placement target"),
  parameters: parameters.default({}),
  previewFingerprint,
});

export const updateBody = z.object({
  action: z.literal("update"),
  tenant: text(60, "the tenant name").min(1, "Name the tenant."),
  version: text(40, "the template version").optional(),
  placement: text(200, "the placement target").optional(),
  parameters: parameters.default({}),
  previewFingerprint,
});

export const decommissionBody = z.object({
  action: z.literal("decommission"),
  tenant: text(60, "the tenant name").min(1, "Name the tenant."),
  reason: text(500, "the reason").optional(),
});

export const submitBody = z.discriminatedUnion("action", [createBody, updateBody, decommissionBody], {
  error: 'Set "action" to "create", "update" or "decommission".',
});

export type SubmitBody = z.infer<typeof submitBody>;

/** Body of POST /api/v1/previews: a create or update request as it would be submitted. */
export const previewBody = z.discriminatedUnion(
  "action",
  [createBody.omit({ previewFingerprint: true }), updateBody.omit({ previewFingerprint: true })],
  { error: 'Set "action" to "create" or "update".' },
);

export type PreviewBody = z.infer<typeof previewBody>;

export const approveBody = z.object({ comment: text(2000, "the comment").optional() });
export const rejectBody = z.object({ reason: text(2000, "the reason") });
export const emptyBody = z.object({}).passthrough();

const STATES = requestState.enumValues;

/** Query string of GET /api/v1/requests. */
export const listQuery = z.object({
  state: z
    .string()
    .optional()
    .transform((s) =>
      s
        ? s
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined,
    )
    .pipe(z.array(z.enum(STATES, { error: `Use states from: ${STATES.join(", ")}.` })).optional()),
  team: z.string().max(40, "Use at most 40 characters.").optional(),
  action: z.enum(requestAction.enumValues, { error: `Use one of: ${requestAction.enumValues.join(", ")}.` }).optional(),
  limit: z.coerce
    .number({ error: "Give a whole number." })
    .int("Give a whole number.")
    .min(1, "Use at least 1.")
    .max(500, "Use at most 500.")
    .default(100),
  offset: z.coerce
    .number({ error: "Give a whole number." })
    .int("Give a whole number.")
    .min(0, "Use 0 or more.")
    .default(0),
});

export type ListQuery = z.infer<typeof listQuery>;
