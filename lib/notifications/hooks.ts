import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { requests, requestTransitions, teams, tenants, users, type RequestState } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import type { Db, Tx } from "@/lib/db";
import type { SqlExecutor } from "@/lib/db/transaction";
import { awaitingApproval, requestApproved, requestFailed, requestRejected, tenantRemoved } from "./events";
import { notifyPlatformAdmins, notifyUsers } from "./notify";

// A platform admin as the policy sees one; the notification goes to whoever could act on it.
const asPlatformAdmin = (id: string): Viewer => ({ id, name: "", email: null, isPlatformAdmin: true, teams: [] });

const NOTIFIED: readonly RequestState[] = ["pr_open", "merged", "rejected", "failed", "deleted"];

/**
 * Tells the people concerned about a request transition; call it right after transitionRequest,
 * ideally in the same transaction with its outbox, so the notification exists exactly when the
 * transition does. States nobody needs to hear about (cancelled by the requester themself,
 * approved on the way to merged, deleting) are ignored.
 */
export async function notifyForTransition(opts: {
  db: Db | Tx;
  outbox?: SqlExecutor;
  requestId: string;
  to: RequestState;
  reason?: string | null;
}): Promise<void> {
  const { db, outbox, requestId, to } = opts;
  if (!NOTIFIED.includes(to)) return;
  const [r] = await db
    .select({
      action: requests.action,
      autoApprove: requests.autoApprove,
      selfApproval: requests.selfApproval,
      requestedBy: requests.requestedBy,
      reason: requests.reason,
      templateName: requests.templateName,
      templateVersion: requests.templateVersion,
      tenant: tenants.name,
      kind: tenants.kind,
      team: teams.slug,
      requesterName: users.name,
      requesterEmail: users.email,
    })
    .from(requests)
    .innerJoin(tenants, eq(tenants.id, requests.tenantId))
    .innerJoin(teams, eq(teams.id, tenants.teamId))
    .innerJoin(users, eq(users.id, requests.requestedBy))
    .where(eq(requests.id, requestId));
  if (!r) return;
  // The transition's id tells a repeat of the same event (a retried job: deduplicated) from a
  // new one (failed again after a retry: notified again).
  const [transition] = await db
    .select({ id: requestTransitions.id })
    .from(requestTransitions)
    .where(and(eq(requestTransitions.requestId, requestId), eq(requestTransitions.toState, to)))
    .orderBy(desc(requestTransitions.id))
    .limit(1);
  const facts = {
    baseUrl: getConfig().baseUrl,
    requestId,
    tenant: r.tenant,
    team: r.team,
    template: `${r.templateName}@${r.templateVersion}`,
    occurrence: transition?.id,
  };
  const reason = opts.reason ?? r.reason;
  const requester = (event: Parameters<typeof notifyUsers>[0]["event"]) =>
    notifyUsers({ db, outbox, userIds: [r.requestedBy], event });

  switch (to) {
    case "pr_open":
      // Auto-approved requests merge without anyone deciding; telling admins would be noise.
      if (r.autoApprove) return;
      await notifyPlatformAdmins({
        db,
        outbox,
        event: awaitingApproval({ ...facts, action: r.action, requestedBy: r.requesterEmail ?? r.requesterName }),
        // Only admins who may approve it (four eyes: a requesting admin may not, unless the template allows).
        only: (adminId) => can(asPlatformAdmin(adminId), "request.approve", r),
      });
      return;
    case "merged":
      // A merged decommission is only half-way; its requester hears at "deleted".
      if (r.action !== "decommission") await requester(requestApproved({ ...facts, action: r.action }));
      return;
    case "rejected":
      await requester(requestRejected({ ...facts, reason }));
      return;
    case "failed":
      await requester(requestFailed({ ...facts, reason }));
      return;
    case "deleted":
      await requester(tenantRemoved({ ...facts, sandbox: r.kind === "sandbox" }));
      return;
  }
}
