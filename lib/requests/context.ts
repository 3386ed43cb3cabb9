import "server-only";
import { eq } from "drizzle-orm";
import { requests, teams, tenants, users } from "@/db/schema";
import type { AuditActor } from "@/lib/audit/record";
import type { Db, Tx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { GitOpsProvider } from "@/lib/gitops/types";
import { targetColumns } from "@/lib/tenants/target";

export type ForgeContext = {
  db: Db;
  provider: GitOpsProvider;
  baseUrl: string;
  // Called after a request's merge commits (the entry layer asks Argo CD to refresh); best effort.
  afterMerge?: (tenant: string) => void;
};

export const BERTH_ACTOR: AuditActor = { id: null, label: "berth (automation)", clientIp: null };
export const forgeActor = (kind: string): AuditActor => ({ id: null, label: `${kind} (forge)`, clientIp: null });

/** Everything about a request the forge flow needs, in one read. */
export async function loadRequest(db: Db | Tx, requestId: string) {
  const [row] = await db
    .select({
      id: requests.id,
      state: requests.state,
      action: requests.action,
      branch: requests.branch,
      prNumber: requests.prNumber,
      prUrl: requests.prUrl,
      changes: requests.changes,
      previewFingerprint: requests.previewFingerprint,
      parameters: requests.parameters,
      autoApprove: requests.autoApprove,
      selfApproval: requests.selfApproval,
      templateName: requests.templateName,
      templateVersion: requests.templateVersion,
      requestedBy: requests.requestedBy,
      attempts: requests.attempts,
      ...targetColumns(requests),
      tenantId: tenants.id,
      tenant: tenants.name,
      teamId: tenants.teamId,
      team: teams.slug,
      requesterEmail: users.email,
      requesterName: users.name,
    })
    .from(requests)
    .innerJoin(tenants, eq(tenants.id, requests.tenantId))
    .innerJoin(teams, eq(teams.id, tenants.teamId))
    .innerJoin(users, eq(users.id, requests.requestedBy))
    .where(eq(requests.id, requestId));
  if (!row) throw new NotFoundError(`Request ${requestId} does not exist.`);
  return row;
}

export type LoadedRequest = Awaited<ReturnType<typeof loadRequest>>;
