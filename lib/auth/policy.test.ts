import { describe, expect, it } from "vitest";
import { assertCan, can, decide, PolicyError, SANDBOX_TEAM, type PolicyAction } from "./policy";
import type { Viewer } from "./viewer";

const viewer = (id: string, teams: [string, "member" | "owner"][] = [], isPlatformAdmin = false): Viewer => ({
  id,
  name: id,
  email: `${id}@example.test`,
  isPlatformAdmin,
  teams: teams.map(([slug, role]) => ({ id: `team-${slug}`, slug, displayName: slug, role })),
});

const newcomer = viewer("newcomer");
const dev = viewer("dev", [["payments", "member"]]);
const owner = viewer("owner", [["payments", "owner"]]);
const searchDev = viewer("search-dev", [["search", "member"]]);
const admin = viewer("admin", [], true);
const sandboxTeamOwner = viewer("sbx-owner", [[SANDBOX_TEAM, "owner"]]);

// Subjects as the services and pages pass them.
const devRequest = { requestedBy: "dev", selfApproval: false };
const adminRequest = { requestedBy: "admin", selfApproval: false };
const adminSelfApproved = { requestedBy: "admin", selfApproval: true };
const paymentsTenant = { team: "payments", ownerId: "dev", kind: "shared-vcluster" };
// The tenant's owner left the team (the drift the tenant page used to show "Change" for).
const leftTeamTenant = { team: "search", ownerId: "dev", kind: "shared-vcluster" };
const devSandbox = { team: SANDBOX_TEAM, ownerId: "dev", kind: "sandbox" };
const ownersOnly = { policy: { perUser: false, allowedRoles: ["owner"] as const } };
const anyRole = { policy: { perUser: false, allowedRoles: ["member", "owner"] as const } };
const personal = { policy: { perUser: true, allowedRoles: ["member", "owner"] as const } };

type Row = [who: string, v: Viewer, action: PolicyAction, subject: unknown, allowed: boolean];

const rows: Row[] = [
  // Platform pages and team administration: platform admins only.
  ...(
    ["admin.pages", "records.view_all", "team.create", "team.manage", "sandbox.bulk", "gitops.bootstrap"] as const
  ).flatMap((a): Row[] => [
    ["admin", admin, a, undefined, true],
    ["owner", owner, a, undefined, false],
    ["dev", dev, a, undefined, false],
    ["newcomer", newcomer, a, undefined, false],
  ]),
  ["member sees own team", dev, "team.view", { team: "payments" }, true],
  ["member of another team", searchDev, "team.view", { team: "payments" }, false],
  ["admin sees any team", admin, "team.view", { team: "payments" }, true],
  // Requesting templates.
  ["member, any role", dev, "template.request", { template: anyRole, team: "payments" }, true],
  ["member, owners only", dev, "template.request", { template: ownersOnly, team: "payments" }, false],
  ["owner, owners only", owner, "template.request", { template: ownersOnly, team: "payments" }, true],
  ["foreign team", searchDev, "template.request", { template: anyRole, team: "payments" }, false],
  ["admin, any team", admin, "template.request", { template: ownersOnly, team: "payments" }, true],
  ["newcomer, sandbox team", newcomer, "template.request", { template: personal, team: SANDBOX_TEAM }, true],
  [
    "newcomer, shared into sandbox team",
    newcomer,
    "template.request",
    { template: anyRole, team: SANDBOX_TEAM },
    false,
  ],
  ["personal, own team", dev, "template.request", { template: personal, team: "payments" }, true],
  ["personal, foreign team", newcomer, "template.request", { template: personal, team: "payments" }, false],
  // Decisions on requests.
  ["admin approves another's", admin, "request.approve", devRequest, true],
  ["admin approves own (four eyes)", admin, "request.approve", adminRequest, false],
  ["admin approves own, template allows", admin, "request.approve", adminSelfApproved, true],
  ["requester approves own", dev, "request.approve", devRequest, false],
  ["team owner approves", owner, "request.approve", devRequest, false],
  ["admin rejects", admin, "request.reject", devRequest, true],
  ["admin rejects own", admin, "request.reject", adminRequest, true],
  ["owner rejects", owner, "request.reject", devRequest, false],
  ["requester cancels", dev, "request.cancel", devRequest, true],
  ["admin cancels", admin, "request.cancel", devRequest, true],
  ["team owner cancels another's", owner, "request.cancel", devRequest, false],
  ["requester retries", dev, "request.retry", devRequest, true],
  ["admin retries", admin, "request.retry", devRequest, true],
  ["someone else retries", searchDev, "request.retry", devRequest, false],
  // Tenants.
  ["member changes", dev, "tenant.change", paymentsTenant, true],
  ["owner changes", owner, "tenant.change", paymentsTenant, true],
  ["foreign member changes", searchDev, "tenant.change", paymentsTenant, false],
  ["owner who left the team changes", dev, "tenant.change", leftTeamTenant, false],
  ["admin changes", admin, "tenant.change", paymentsTenant, true],
  ["member decommissions", dev, "tenant.decommission", paymentsTenant, false],
  ["owner decommissions", owner, "tenant.decommission", paymentsTenant, true],
  ["admin decommissions", admin, "tenant.decommission", paymentsTenant, true],
  ["owner who left the team decommissions", dev, "tenant.decommission", leftTeamTenant, false],
  // Sandboxes are personal: their owner, whatever their teams, and platform admins.
  ["sandbox owner changes", dev, "tenant.change", devSandbox, true],
  ["sandbox owner destroys", dev, "tenant.decommission", devSandbox, true],
  ["someone else destroys a sandbox", owner, "tenant.decommission", devSandbox, false],
  ["admin destroys a sandbox", admin, "tenant.decommission", devSandbox, true],
  ["sandbox owner extends", dev, "sandbox.extend", devSandbox, true],
  ["admin extends", admin, "sandbox.extend", devSandbox, true],
  ["someone else extends", owner, "sandbox.extend", devSandbox, false],
  ["extend a tenant that is no sandbox", admin, "sandbox.extend", paymentsTenant, false],
  ["sandbox owner destroys (sandbox.destroy)", dev, "sandbox.destroy", devSandbox, true],
  ["admin destroys (sandbox.destroy)", admin, "sandbox.destroy", devSandbox, true],
  ["someone else destroys (sandbox.destroy)", owner, "sandbox.destroy", devSandbox, false],
  // Team roles do not reach into personal sandboxes, even of the built-in sandboxes team.
  ["owner of the sandboxes team destroys another's", sandboxTeamOwner, "tenant.decommission", devSandbox, false],
  ["member of the sandboxes team changes another's", sandboxTeamOwner, "tenant.change", devSandbox, false],
];

describe("policy", () => {
  it.each(rows)("%s: %s", (_who, v, action, subject, allowed) => {
    const args = (subject === undefined ? [] : [subject]) as [];
    expect(can(v, action as "admin.pages", ...args)).toBe(allowed);
    if (allowed) expect(() => assertCan(v, action as "admin.pages", ...args)).not.toThrow();
    else expect(() => assertCan(v, action as "admin.pages", ...args)).toThrow(PolicyError);
  });

  it("says why in the words the forms and the API show", () => {
    expect(decide(dev, "team.create")).toEqual({ allowed: false, reason: "Only platform admins can do this." });
    expect(decide(dev, "request.approve", devRequest)).toMatchObject({
      reason: "Only platform admins can approve requests.",
    });
    expect(decide(admin, "request.approve", adminRequest)).toMatchObject({
      reason: "Four eyes: you cannot approve your own request.",
    });
    expect(decide(owner, "request.cancel", devRequest)).toMatchObject({
      reason: "Only the requester or a platform admin can cancel a request.",
    });
    expect(decide(admin, "request.approve", devRequest)).toEqual({ allowed: true });
  });

  it("throws a PolicyError naming the action", () => {
    try {
      assertCan(owner, "request.reject", devRequest);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      expect(err).toMatchObject({ action: "request.reject", message: "Only platform admins can reject requests." });
    }
  });
});
