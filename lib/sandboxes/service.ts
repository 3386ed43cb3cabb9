import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { tenants } from "@/db/schema";
import type { AuditActor } from "@/lib/audit/record";
import { can, SANDBOX_TEAM } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import type { Db } from "@/lib/db";
import { FieldError, ValidationError } from "@/lib/errors";
import { submitUpdateRequest } from "@/lib/requests/change";
import { recordCreateRequest, type Submitted } from "@/lib/requests/submit";
import { findTemplate, getCatalog, placementChoices } from "@/lib/templates/catalog";
import { formFieldsFromParameters } from "@/lib/templates/form-values";
import { prepareTenant } from "@/lib/templates/prepare";
import { ensureSandboxTeam } from "./team";

/** sbx-<who>-<4 random>: readable in kubectl output, unique, a DNS label of at most 40 characters. */
export function sandboxName(viewer: Pick<Viewer, "email" | "name">): string {
  const who =
    (viewer.email?.split("@")[0] ?? viewer.name)
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 24)
      .replace(/-+$/, "") || "user";
  return `sbx-${who}-${randomBytes(3).toString("hex").slice(0, 4)}`;
}

/** One click: a sandbox from the template's defaults on the configured (or first) vCluster host. */
export async function requestSandbox(opts: {
  db: Db;
  viewer: Viewer;
  actor: AuditActor;
  now?: Date;
}): Promise<Submitted> {
  const config = getConfig();
  const catalog = await getCatalog();
  const template = catalog.templates.find((t) => t.kind === "sandbox");
  if (!template) throw new FieldError("template", "No sandbox template is in the catalog; ask your platform team.");
  const choices = placementChoices(template, config.placements);
  const placement = config.sandboxes.placement ?? choices[0]?.value;
  if (!placement)
    throw new FieldError("placement", "No vCluster host is configured for sandboxes (BERTH_PLACEMENTS_FILE).");
  await ensureSandboxTeam(opts.db);
  const requestId = randomUUID();
  const tenantName = sandboxName(opts.viewer);
  const result = prepareTenant({
    catalog,
    placements: config.placements,
    templateName: template.name,
    templateVersion: template.version,
    tenantName,
    placement,
    params: {},
    team: { slug: SANDBOX_TEAM, groups: [] },
    requestedBy: opts.viewer.email ?? opts.viewer.name,
    requestId,
    labelDomain: config.labelDomain,
    now: opts.now ?? new Date(),
  });
  if (!result.ok) throw new ValidationError(result.errors);
  return recordCreateRequest({
    requestId,
    prepared: result.value,
    teamSlug: SANDBOX_TEAM,
    tenantName,
    viewer: opts.viewer,
    actor: opts.actor,
  });
}

/** Moves a sandbox's expiry later, within the template's maximum lifetime; a PR changes tenant.yaml. */
export async function extendSandbox(opts: {
  db: Db;
  viewer: Viewer;
  actor: AuditActor;
  tenantName: string;
  hours: number;
  now?: Date;
}): Promise<Submitted & { expiresAt: Date }> {
  const [t] = await opts.db
    .select({
      kind: tenants.kind,
      ownerId: tenants.ownerId,
      expiresAt: tenants.expiresAt,
      createdAt: tenants.createdAt,
      templateName: tenants.templateName,
      templateVersion: tenants.templateVersion,
      parameters: tenants.parameters,
    })
    .from(tenants)
    .where(and(eq(tenants.name, opts.tenantName), eq(tenants.lifecycle, "active")));
  // Not a sandbox, or not the viewer's: the same answer as a missing one.
  if (!t || !can(opts.viewer, "sandbox.extend", t))
    throw new FieldError("tenant", `No active sandbox "${opts.tenantName}" of yours.`);
  const ttl = findTemplate(await getCatalog(), t.templateName, t.templateVersion)?.policy.ttl;
  if (!ttl) throw new FieldError("tenant", "This sandbox's template has no lifetime policy.");
  if (!Number.isInteger(opts.hours) || opts.hours < 1) throw new FieldError("hours", "Extend by at least one hour.");
  const latest = new Date(t.createdAt.getTime() + ttl.maxHours * 3_600_000);
  const base = t.expiresAt && t.expiresAt > (opts.now ?? new Date()) ? t.expiresAt : (opts.now ?? new Date());
  const expiresAt = new Date(base.getTime() + opts.hours * 3_600_000);
  if (expiresAt > latest) {
    throw new FieldError(
      "hours",
      `Sandboxes live at most ${ttl.maxHours} hours (${Math.round(ttl.maxHours / 24)} days): this one ` +
        `can last until ${latest.toISOString().slice(0, 16).replace("T", " ")} UTC at the latest.`,
    );
  }
  // Same parameters: only the expiry in tenant.yaml changes.
  const fields = formFieldsFromParameters(t.parameters as Record<string, unknown>);
  const submitted = await submitUpdateRequest({
    db: opts.db,
    viewer: opts.viewer,
    actor: opts.actor,
    tenantName: opts.tenantName,
    fields,
    expiresAt,
  });
  return { ...submitted, expiresAt };
}
