// The words Berth sends. Each function takes the facts of one event and returns what every channel
// renders (inbox, e-mail, Teams, Slack). Texts are plain: channels escape them for their format.

export type NotificationEvent = { kind: string; title: string; body: string; link?: string; dedupeKey: string };

type RequestFacts = {
  baseUrl: string;
  requestId: string;
  tenant: string;
  team: string;
  template: string;
  /**
   * Which occurrence of the event this is (the request_transitions id): a request can fail, be
   * retried and fail again, and the second failure must not be swallowed as a duplicate of the
   * first, while a retried job reporting the same transition must be.
   */
  occurrence?: string | number;
};

const requestLink = (f: { baseUrl: string; requestId: string }) => `${f.baseUrl}/requests/${f.requestId}`;
const tenantLink = (baseUrl: string, tenant: string) => `${baseUrl}/tenants/${encodeURIComponent(tenant)}`;
const requestKey = (f: RequestFacts, what: string) =>
  `request:${f.requestId}:${what}${f.occurrence !== undefined ? `:${f.occurrence}` : ""}`;
const what = (f: RequestFacts) => `${f.tenant} (team ${f.team}, template ${f.template})`;

export function requestApproved(f: RequestFacts & { action: "create" | "update" }): NotificationEvent {
  return {
    kind: "request.approved",
    title: f.action === "create" ? `Approved: ${f.tenant}` : `Change approved: ${f.tenant}`,
    body: `Your request for ${what(f)} was approved and merged. Berth will tell you when it is ready.`,
    link: requestLink(f),
    dedupeKey: requestKey(f, "approved"),
  };
}

export function requestRejected(f: RequestFacts & { reason: string | null }): NotificationEvent {
  return {
    kind: "request.rejected",
    title: `Rejected: ${f.tenant}`,
    body: `Your request for ${what(f)} was rejected.\nReason: ${f.reason?.trim() || "(none given)"}`,
    link: requestLink(f),
    dedupeKey: requestKey(f, "rejected"),
  };
}

export function tenantReady(f: RequestFacts): NotificationEvent {
  return {
    kind: "tenant.ready",
    title: `Ready: ${f.tenant}`,
    body: `${what(f)} is deployed and healthy. Open it in Berth for access details.`,
    link: tenantLink(f.baseUrl, f.tenant),
    dedupeKey: requestKey(f, "ready"),
  };
}

export function requestFailed(f: RequestFacts & { reason: string | null }): NotificationEvent {
  return {
    kind: "request.failed",
    title: `Failed: ${f.tenant}`,
    body: `Your request for ${what(f)} failed.\nReason: ${f.reason?.trim() || "(unknown)"}\nYou can retry it from the request page.`,
    link: requestLink(f),
    dedupeKey: requestKey(f, "failed"),
  };
}

/** Once per expiry: extending the sandbox gives a new expiry, hence a new reminder. */
export function sandboxExpiring(f: { baseUrl: string; tenant: string; expiresAt: Date }): NotificationEvent {
  const at = `${f.expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return {
    kind: "sandbox.expiring",
    title: `Sandbox ${f.tenant} expires ${at}`,
    body: `Your sandbox ${f.tenant} will be removed at ${at}. Extend it in Berth if you still need it.`,
    link: tenantLink(f.baseUrl, f.tenant),
    dedupeKey: `tenant:${f.tenant}:expiring:${f.expiresAt.toISOString()}`,
  };
}

/** The end of a decommission: "removed" for sandboxes, "decommissioned" for everything else. */
export function tenantRemoved(f: RequestFacts & { sandbox: boolean }): NotificationEvent {
  return f.sandbox
    ? {
        kind: "sandbox.removed",
        title: `Sandbox removed: ${f.tenant}`,
        body: `Your sandbox ${f.tenant} has been removed. Request a new one whenever you need it.`,
        link: requestLink(f),
        dedupeKey: requestKey(f, "removed"),
      }
    : {
        kind: "tenant.decommissioned",
        title: `Decommissioned: ${f.tenant}`,
        body: `${what(f)} has been decommissioned and its resources removed.`,
        link: requestLink(f),
        dedupeKey: requestKey(f, "removed"),
      };
}

/** For platform admins: a pull request is open and waits for their decision. */
export function awaitingApproval(f: RequestFacts & { action: string; requestedBy: string }): NotificationEvent {
  const subject = f.action === "create" ? "new tenant" : f.action === "update" ? "change of" : "decommission of";
  const asked = f.action === "create" ? "a new tenant" : f.action === "update" ? "a change of" : "the decommission of";
  return {
    kind: "request.awaiting_approval",
    title: `Awaiting approval: ${subject} ${f.tenant}`,
    body: `${f.requestedBy} requested ${asked} ${what(f)}. Review it in Berth.`,
    link: requestLink(f),
    dedupeKey: requestKey(f, "awaiting-approval"),
  };
}
