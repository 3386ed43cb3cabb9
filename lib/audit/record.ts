import "server-only";
import { auditEvents } from "@/db/schema";
import type { Db, Tx } from "@/lib/db";

export type AuditActor = { id: string | null; label: string; clientIp: string | null };

export const SYSTEM_ACTOR: AuditActor = { id: null, label: "system", clientIp: null };

export type AuditInput = {
  actor: AuditActor;
  action: string; // "<subject>.<verb>", e.g. team.created
  subjectType: string;
  subjectId: string;
  teamId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

/** Appends one audit event; call it inside the transaction of the change it records. */
export async function recordAuditEvent(db: Db | Tx, input: AuditInput): Promise<void> {
  await db.insert(auditEvents).values({
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    teamId: input.teamId ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    clientIp: input.actor.clientIp,
    reason: input.reason ?? null,
  });
}
