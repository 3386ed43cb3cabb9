import "server-only";
import { and, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import {
  requests,
  requestTransitions,
  teams,
  tenants,
  users,
  type RequestAction,
  type RequestState,
} from "@/db/schema";
import { can } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";
import type { FileChange } from "@/lib/gitops/types";

export type RequestSummary = {
  id: string;
  action: RequestAction;
  state: RequestState;
  tenant: string;
  team: string;
  template: string;
  requestedBy: string;
  prNumber: number | null;
  prUrl: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type RequestFilters = {
  state?: RequestState[];
  team?: string;
  tenant?: string;
  action?: RequestAction;
  mine?: boolean;
  limit?: number;
  offset?: number;
};

/** Who may see a request: platform admins, the requester, and members of the tenant's team. */
export function visibleTo(viewer: Viewer): SQL | undefined {
  if (can(viewer, "records.view_all")) return undefined;
  const ids = viewer.teams.map((t) => t.id);
  return ids.length
    ? or(eq(requests.requestedBy, viewer.id), inArray(tenants.teamId, ids))
    : eq(requests.requestedBy, viewer.id);
}

const summaryColumns = {
  id: requests.id,
  action: requests.action,
  state: requests.state,
  tenant: tenants.name,
  team: teams.slug,
  template: sql<string>`${requests.templateName} || '@' || ${requests.templateVersion}`,
  requestedBy: sql<string>`coalesce(${users.email}, ${users.name})`,
  prNumber: requests.prNumber,
  prUrl: requests.prUrl,
  lastError: requests.lastError,
  createdAt: requests.createdAt,
  updatedAt: requests.updatedAt,
};

export async function listRequests(db: Db, viewer: Viewer, f: RequestFilters = {}): Promise<RequestSummary[]> {
  const where = [visibleTo(viewer)];
  if (f.state?.length) where.push(inArray(requests.state, f.state));
  if (f.team) where.push(eq(teams.slug, f.team));
  if (f.tenant) where.push(eq(tenants.name, f.tenant));
  if (f.action) where.push(eq(requests.action, f.action));
  if (f.mine) where.push(eq(requests.requestedBy, viewer.id));
  return db
    .select(summaryColumns)
    .from(requests)
    .innerJoin(tenants, eq(tenants.id, requests.tenantId))
    .innerJoin(teams, eq(teams.id, tenants.teamId))
    .innerJoin(users, eq(users.id, requests.requestedBy))
    .where(and(...where.filter(Boolean)))
    .orderBy(desc(requests.createdAt))
    .limit(Math.min(f.limit ?? 100, 500))
    .offset(f.offset ?? 0);
}

export type RequestDetail = RequestSummary & {
  tenantId: string;
  reason: string | null;
  requestedById: string;
  selfApproval: boolean;
  parameters: Record<string, unknown>;
  changes: FileChange[];
  mergeCommitSha: string | null;
  // The requester's preview the files were checked against (null: submitted without one).
  previewFingerprint: string | null;
  timeline: { from: RequestState | null; to: RequestState; actor: string; reason: string | null; at: Date }[];
};

/** One request with its timeline, or null when it does not exist or is not visible (same answer). */
export async function getRequestDetail(db: Db, viewer: Viewer, id: string): Promise<RequestDetail | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const [row] = await db
    .select({
      ...summaryColumns,
      tenantId: tenants.id,
      reason: requests.reason,
      requestedById: requests.requestedBy,
      selfApproval: requests.selfApproval,
      parameters: requests.parameters,
      changes: requests.changes,
      mergeCommitSha: requests.mergeCommitSha,
      previewFingerprint: requests.previewFingerprint,
    })
    .from(requests)
    .innerJoin(tenants, eq(tenants.id, requests.tenantId))
    .innerJoin(teams, eq(teams.id, tenants.teamId))
    .innerJoin(users, eq(users.id, requests.requestedBy))
    .where(and(eq(requests.id, id), visibleTo(viewer)));
  if (!row) return null;
  const timeline = await db
    .select({
      from: requestTransitions.fromState,
      to: requestTransitions.toState,
      actor: requestTransitions.actorLabel,
      reason: requestTransitions.reason,
      at: requestTransitions.at,
    })
    .from(requestTransitions)
    .where(eq(requestTransitions.requestId, id))
    .orderBy(requestTransitions.id);
  return {
    ...row,
    parameters: row.parameters as Record<string, unknown>,
    changes: row.changes as FileChange[],
    timeline,
  };
}
