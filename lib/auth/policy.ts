// Who may do what: the one place Berth decides it. Services call assertCan (and throw PolicyError),
// pages ask can() to decide which buttons to render, the REST API answers from the services; so a
// button is offered exactly when the server would accept its form. Rules are about the person
// (platform admin, team role, requester, owner); whether the subject's state allows the step is
// the state machine's (lib/requests/state.ts canTransition), checked after the policy.
import type { TeamRole } from "@/db/schema";
import { ForbiddenError } from "@/lib/errors";
import type { Viewer } from "./viewer";

// Personal sandboxes belong to their owner; for quotas, labels and the GitOps layout they sit in
// one built-in team that anyone signed in may request into (newcomers have no team yet).
export const SANDBOX_TEAM = "sandboxes";

/** A request as the policy sees it: who asked, and whether its template waives four eyes. */
export type RequestSubject = { requestedBy: string; selfApproval: boolean };
/** A tenant as the policy sees it. */
export type TenantSubject = { team: string; ownerId: string; kind: string };
/** A template requested for a team. */
export type TemplateRequestSubject = {
  template: { policy: { perUser: boolean; allowedRoles: readonly TeamRole[] } };
  team: string;
};

type Subjects = {
  /** The platform pages: approvals, fleet, all sandboxes, templates, GitOps, new team. */
  "admin.pages": undefined;
  /** Every team's tenants, requests, teams and audit events (queries scope to the viewer otherwise). */
  "records.view_all": undefined;
  "team.create": undefined;
  /** Map and unmap directory groups of any team. */
  "team.manage": undefined;
  "team.view": { team: string };
  "template.request": TemplateRequestSubject;
  "request.approve": RequestSubject;
  "request.reject": RequestSubject;
  "request.cancel": RequestSubject;
  "request.retry": RequestSubject;
  "tenant.change": TenantSubject;
  "tenant.decommission": TenantSubject;
  /** A sandbox is personal: its owner (or a platform admin) extends and destroys it, whatever their teams. */
  "sandbox.extend": Pick<TenantSubject, "ownerId" | "kind">;
  "sandbox.destroy": Pick<TenantSubject, "ownerId" | "kind">;
  /** Extend or remove many sandboxes at once (the platform's sandbox page). */
  "sandbox.bulk": undefined;
  "gitops.bootstrap": undefined;
};

export type PolicyAction = keyof Subjects;
/** Actions decided by the viewer alone (server actions declare these up front). */
export type ViewerAction = { [A in PolicyAction]: Subjects[A] extends undefined ? A : never }[PolicyAction];

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** The policy said no; the message says why, in words for the person who asked. */
export class PolicyError extends ForbiddenError {
  constructor(
    readonly action: PolicyAction,
    message: string,
  ) {
    super(message);
    this.name = "PolicyError";
  }
}

const ALLOW: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });
const ADMINS_ONLY = deny("Only platform admins can do this.");

const roleIn = (viewer: Viewer, team: string): TeamRole | undefined => viewer.teams.find((t) => t.slug === team)?.role;
const isSandbox = (t: { kind: string }) => t.kind === "sandbox";

function decideFor(viewer: Viewer, action: PolicyAction, subject: unknown): Decision {
  const admin = viewer.isPlatformAdmin;
  switch (action) {
    case "admin.pages":
    case "records.view_all":
    case "team.create":
    case "team.manage":
    case "sandbox.bulk":
    case "gitops.bootstrap":
      return admin ? ALLOW : ADMINS_ONLY;
    case "team.view": {
      const { team } = subject as Subjects["team.view"];
      return admin || roleIn(viewer, team) ? ALLOW : deny(`You are not a member of team "${team}".`);
    }
    case "template.request": {
      const { template, team } = subject as TemplateRequestSubject;
      if (admin) return ALLOW;
      // Anyone signed in may have a personal sandbox (in the built-in sandboxes team).
      if (template.policy.perUser && team === SANDBOX_TEAM) return ALLOW;
      const role = roleIn(viewer, team);
      return role && (template.policy.perUser || template.policy.allowedRoles.includes(role))
        ? ALLOW
        : deny(`You cannot request this template for team "${team}".`);
    }
    case "request.approve": {
      const r = subject as RequestSubject;
      if (!admin) return deny("Only platform admins can approve requests.");
      return r.requestedBy === viewer.id && !r.selfApproval
        ? deny("Four eyes: you cannot approve your own request.")
        : ALLOW;
    }
    case "request.reject":
      return admin ? ALLOW : deny("Only platform admins can reject requests.");
    case "request.cancel":
    case "request.retry": {
      const r = subject as RequestSubject;
      const verb = action === "request.cancel" ? "cancel" : "retry";
      return admin || r.requestedBy === viewer.id
        ? ALLOW
        : deny(`Only the requester or a platform admin can ${verb} a request.`);
    }
    case "tenant.change": {
      // Any member of the tenant's team; a sandbox (changed only to extend it) as sandbox.extend.
      const t = subject as TenantSubject;
      if (isSandbox(t)) return decideFor(viewer, "sandbox.extend", t);
      return admin || roleIn(viewer, t.team) ? ALLOW : deny("Only members of the tenant's team can change it.");
    }
    case "tenant.decommission": {
      const t = subject as TenantSubject;
      if (isSandbox(t)) return decideFor(viewer, "sandbox.destroy", t);
      return admin || roleIn(viewer, t.team) === "owner"
        ? ALLOW
        : deny("Only owners of the tenant's team can decommission it.");
    }
    case "sandbox.extend":
    case "sandbox.destroy": {
      const t = subject as Subjects["sandbox.extend"];
      const verb = action === "sandbox.extend" ? "extend" : "destroy";
      if (!isSandbox(t)) return deny(`Only sandboxes are ${verb === "extend" ? "extended" : "destroyed"} this way.`);
      return admin || t.ownerId === viewer.id ? ALLOW : deny(`Only the sandbox's owner can ${verb} it.`);
    }
  }
}

/** Whether the policy allows `action` (on `subject`) to `viewer`, and if not, why. */
export function decide<A extends PolicyAction>(
  viewer: Viewer,
  action: A,
  ...subject: Subjects[A] extends undefined ? [] : [Subjects[A]]
): Decision {
  return decideFor(viewer, action, subject[0]);
}

/** May `viewer` do `action` (on `subject`)? For rendering: buttons, links, page scopes. */
export function can<A extends PolicyAction>(
  viewer: Viewer,
  action: A,
  ...subject: Subjects[A] extends undefined ? [] : [Subjects[A]]
): boolean {
  return decideFor(viewer, action, subject[0]).allowed;
}

/** For services: throws PolicyError (a 403 / a refusal in the form) when the policy says no. */
export function assertCan<A extends PolicyAction>(
  viewer: Viewer,
  action: A,
  ...subject: Subjects[A] extends undefined ? [] : [Subjects[A]]
): void {
  const d = decideFor(viewer, action, subject[0]);
  if (!d.allowed) throw new PolicyError(action, d.reason);
}
