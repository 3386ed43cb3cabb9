import "server-only";
import { and, desc, eq, gte, ilike, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import { auditEvents, teams } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";
import { AUDIT_PAGE_SIZE, type AuditFilters } from "./schemas";

export type AuditRow = {
  id: number;
  at: Date;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string;
  team: string | null;
  before: unknown;
  after: unknown;
  clientIp: string | null;
  reason: string | null;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A page of audit events, newest first. Platform admins see everything; others see the
 * events of their own teams and their own actions.
 */
export async function listAuditEvents(
  db: Db,
  viewer: Viewer,
  f: AuditFilters,
): Promise<{ rows: AuditRow[]; hasMore: boolean }> {
  const where: SQL[] = [];
  if (!can(viewer, "records.view_all")) {
    const scope = [eq(auditEvents.actorId, viewer.id)];
    if (viewer.teams.length > 0)
      scope.push(
        inArray(
          auditEvents.teamId,
          viewer.teams.map((t) => t.id),
        ),
      );
    where.push(or(...scope)!);
  }
  if (f.actor) where.push(ilike(auditEvents.actorLabel, `%${escapeLike(f.actor)}%`));
  if (f.team) where.push(eq(teams.slug, f.team));
  if (f.action)
    where.push(or(eq(auditEvents.action, f.action), ilike(auditEvents.action, `${escapeLike(f.action)}.%`))!);
  if (f.from) where.push(gte(auditEvents.at, f.from));
  if (f.to) where.push(lte(auditEvents.at, f.to));
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      subjectType: auditEvents.subjectType,
      subjectId: auditEvents.subjectId,
      team: teams.slug,
      before: auditEvents.before,
      after: auditEvents.after,
      clientIp: sql<string | null>`host(${auditEvents.clientIp})`,
      reason: auditEvents.reason,
    })
    .from(auditEvents)
    .leftJoin(teams, eq(teams.id, auditEvents.teamId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((f.page - 1) * AUDIT_PAGE_SIZE);
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}
