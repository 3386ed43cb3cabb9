"use server";
import { z } from "zod";
import { authedAction } from "@/lib/entry/action";
import { auditActorFor } from "@/lib/entry/session";
import { getDb } from "@/lib/db";
import { submitDecommissionRequest, submitUpdateRequest } from "@/lib/requests/change";
import { approveRequest, cancelRequest, rejectRequest, retryRequest } from "@/lib/requests/decisions";
import { getForgeContext } from "@/lib/entry/forge-context";
import { submitCreateRequest } from "@/lib/requests/submit";
import { paramFields, previewFingerprint, tenantFormOf, tenantSubmitInput } from "@/lib/templates/form";

const requestId = z.object({ requestId: z.uuid("Unknown request.") });

/** Submits a create request; it is durable before this returns, the pull request follows. */
export const submitTenantAction = authedAction(
  {
    name: "submitTenant",
    schema: tenantSubmitInput,
    revalidate: ["/requests", "/"],
    redirectTo: (r: { requestId: string }) => `/requests/${r.requestId}`,
  },
  async ({ viewer, input }) =>
    submitCreateRequest({
      db: getDb(),
      viewer,
      actor: await auditActorFor(viewer),
      form: tenantFormOf(input),
      previewFingerprint: input.previewFingerprint,
    }),
);

/** Submits a change of an existing tenant (size, options, template version). */
export const updateTenantAction = authedAction(
  {
    name: "updateTenant",
    schema: z
      .object({ tenant: z.string().min(1).max(40), version: z.string().max(40).optional(), previewFingerprint })
      .passthrough(),
    revalidate: ["/requests", "/tenants"],
    redirectTo: (r: { requestId: string }) => `/requests/${r.requestId}`,
  },
  async ({ viewer, input }) =>
    submitUpdateRequest({
      db: getDb(),
      viewer,
      actor: await auditActorFor(viewer),
      tenantName: input.tenant,
      version: input.version || undefined,
      fields: paramFields(input),
      previewFingerprint: input.previewFingerprint,
    }),
);

/** Team owners (and sandbox owners) ask to decommission a tenant. */
export const decommissionTenantAction = authedAction(
  {
    name: "decommissionTenant",
    schema: z.object({
      tenant: z.string().min(1).max(40),
      reason: z.string().trim().max(500, "Use at most 500 characters.").optional(),
    }),
    revalidate: ["/requests", "/tenants"],
    redirectTo: (r: { requestId: string }) => `/requests/${r.requestId}`,
  },
  async ({ viewer, input }) =>
    submitDecommissionRequest({
      db: getDb(),
      viewer,
      actor: await auditActorFor(viewer),
      tenantName: input.tenant,
      reason: input.reason,
    }),
);

/** Platform admins approve: Berth merges the pull request through the forge. */
export const approveRequestAction = authedAction(
  {
    name: "approveRequest",
    schema: requestId.extend({ comment: z.string().trim().max(1000, "Use at most 1000 characters.").optional() }),
    revalidate: ["/approvals", "/requests"],
  },
  async ({ viewer, input }) =>
    approveRequest(getForgeContext(), {
      requestId: input.requestId,
      viewer,
      actor: await auditActorFor(viewer),
      comment: input.comment || undefined,
    }),
);

/** Platform admins reject with a reason: the pull request is closed with it as a comment. */
export const rejectRequestAction = authedAction(
  {
    name: "rejectRequest",
    schema: requestId.extend({
      reason: z
        .string({ error: "Give a reason." })
        .trim()
        .min(3, "Give the requester a reason (at least 3 characters).")
        .max(1000, "Use at most 1000 characters."),
    }),
    revalidate: ["/approvals", "/requests"],
  },
  async ({ viewer, input }) =>
    rejectRequest(getForgeContext(), {
      requestId: input.requestId,
      viewer,
      actor: await auditActorFor(viewer),
      reason: input.reason,
    }),
);

/** The requester withdraws a request that is not approved yet. */
export const cancelRequestAction = authedAction(
  { name: "cancelRequest", schema: requestId, revalidate: ["/requests", "/approvals"] },
  async ({ viewer, input }) =>
    cancelRequest(getForgeContext(), { requestId: input.requestId, viewer, actor: await auditActorFor(viewer) }),
);

/** A failed request is submitted again; the job opens or finds its pull request. */
export const retryRequestAction = authedAction(
  { name: "retryRequest", schema: requestId, revalidate: ["/requests"] },
  async ({ viewer, input }) =>
    retryRequest(getForgeContext(), { requestId: input.requestId, viewer, actor: await auditActorFor(viewer) }),
);
