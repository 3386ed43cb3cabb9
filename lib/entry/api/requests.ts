// The request operations of the REST API: thin adapters over lib/requests, which does every
// authorization and validation check exactly as for the UI.
import "server-only";
import type { AuditActor } from "@/lib/audit/record";
import type { Viewer } from "@/lib/auth/viewer";
import { getDb, type Db } from "@/lib/db";
import { AppError, ValidationError } from "@/lib/errors";
import { submitDecommissionRequest, submitUpdateRequest } from "@/lib/requests/change";
import { approveRequest, cancelRequest, rejectRequest } from "@/lib/requests/decisions";
import { getRequestDetail, listRequests, type RequestDetail } from "@/lib/requests/queries";
import { getForgeContext } from "@/lib/entry/forge-context";
import { submitCreateRequest, type Submitted } from "@/lib/requests/submit";
import { findChangeableTenant } from "@/lib/tenants/changeable";
import { findTemplate, getCatalog } from "@/lib/templates/catalog";
import type { JsonSchema } from "@/lib/templates/params";
import { previewTenant } from "@/lib/templates/service";
import { flattenParameters } from "./json-params";
import type { ListQuery, SubmitBody } from "./schemas";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const requestPath = (id: string) => `/api/v1/requests/${id}`;

export type Accepted = {
  id: string;
  tenant: string;
  state: "submitted";
  autoApprove: boolean;
  links: { self: string };
};

const accepted = (s: Submitted): Accepted => ({
  id: s.requestId,
  tenant: s.tenantName,
  state: "submitted",
  autoApprove: s.autoApprove,
  links: { self: requestPath(s.requestId) },
});

async function schemaOf(name: string, version?: string): Promise<JsonSchema | undefined> {
  return findTemplate(await getCatalog(), name, version)?.parameters;
}

type CreateBody = Extract<SubmitBody, { action: "create" }>;
type UpdateBody = Extract<SubmitBody, { action: "update" }>;

/** A create body as the form the UI would send; JSON type problems come with every other problem at once. */
export async function apiCreateForm(db: Db, viewer: Viewer, body: Omit<CreateBody, "previewFingerprint">) {
  // An unknown template has no schema; previewTenant reports it under "template".
  const schema = await schemaOf(body.template, body.version);
  const flat = schema ? flattenParameters(schema, body.parameters) : { fields: {}, errors: {} };
  const form = {
    template: body.template,
    version: body.version,
    team: body.team,
    tenantName: body.tenantName,
    placement: body.placement,
    fields: flat.fields,
  };
  if (Object.keys(flat.errors).length > 0) {
    // Report the JSON type problems together with everything else wrong in the request (a dry run writes nothing).
    await previewTenant({ db, viewer, form }).then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof ValidationError) throw new ValidationError({ ...err.fields, ...flat.errors });
        throw err;
      },
    );
    throw new ValidationError(flat.errors);
  }
  return form;
}

/** An update body as form fields; parameters not given keep the tenant's current values (the form starts from them too). */
export async function apiUpdateFields(db: Db, viewer: Viewer, body: Omit<UpdateBody, "previewFingerprint">) {
  const tenant = await findChangeableTenant(db, viewer, body.tenant, "tenant.change");
  const schema = await schemaOf(tenant.templateName, body.version ?? tenant.templateVersion);
  const merged = { ...(tenant.parameters as Record<string, unknown>), ...body.parameters };
  const flat = schema ? flattenParameters(schema, merged) : { fields: {}, errors: {} };
  if (Object.keys(flat.errors).length > 0) throw new ValidationError(flat.errors);
  return { tenantName: tenant.name, version: body.version, placement: body.placement, fields: flat.fields };
}

/** Submits a create, update or decommission request from a JSON body. */
export async function submitFromApi(viewer: Viewer, actor: AuditActor, body: SubmitBody): Promise<Accepted> {
  const db = getDb();
  if (body.action === "decommission") {
    return accepted(
      await submitDecommissionRequest({ db, viewer, actor, tenantName: body.tenant, reason: body.reason }),
    );
  }
  // Optional here, so scripts keep working; when given, the files must be exactly the preview's.
  const { previewFingerprint } = body;
  if (body.action === "create") {
    const form = await apiCreateForm(db, viewer, body);
    return accepted(await submitCreateRequest({ db, viewer, actor, form, previewFingerprint }));
  }
  const update = await apiUpdateFields(db, viewer, body);
  return accepted(await submitUpdateRequest({ db, viewer, actor, ...update, previewFingerprint }));
}

export async function listFromApi(viewer: Viewer, q: ListQuery) {
  const rows = await listRequests(getDb(), viewer, {
    state: q.state,
    team: q.team,
    action: q.action,
    limit: q.limit,
    offset: q.offset,
  });
  return {
    requests: rows.map((r) => ({ ...r, links: { self: requestPath(r.id) } })),
    limit: q.limit,
    offset: q.offset,
  };
}

/** The request if the viewer may see it; unknown and invisible ids get the same 404. */
export async function visibleRequest(viewer: Viewer, id: string): Promise<RequestDetail> {
  // getRequestDetail's own id check lets e.g. 36 hyphens through to PostgreSQL, which then fails with a 500.
  const detail = UUID.test(id) ? await getRequestDetail(getDb(), viewer, id) : null;
  if (!detail) throw new AppError("not_found", "No such request, or you may not see it.");
  return detail;
}

export async function detailFromApi(viewer: Viewer, id: string) {
  const d = await visibleRequest(viewer, id);
  return { ...d, links: { self: requestPath(d.id), pullRequest: d.prUrl } };
}

export type Decision = { kind: "cancel" } | { kind: "approve"; comment?: string } | { kind: "reject"; reason: string };

/**
 * Cancels, approves or rejects. The visibility check comes first so that a request of another
 * team answers 404 (as GET does) rather than revealing that it exists; the services then decide
 * who may do what.
 */
export async function decideFromApi(viewer: Viewer, actor: AuditActor, id: string, d: Decision) {
  await visibleRequest(viewer, id);
  const ctx = getForgeContext();
  if (d.kind === "cancel") await cancelRequest(ctx, { requestId: id, viewer, actor });
  else if (d.kind === "approve")
    await approveRequest(ctx, { requestId: id, viewer, actor, comment: d.comment?.trim() || undefined });
  else await rejectRequest(ctx, { requestId: id, viewer, actor, reason: d.reason });
  const after = await visibleRequest(viewer, id);
  return {
    id: after.id,
    tenant: after.tenant,
    state: after.state,
    links: { self: requestPath(after.id), pullRequest: after.prUrl },
  };
}
