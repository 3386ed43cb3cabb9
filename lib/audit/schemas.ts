import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .max(200, "Use at most 200 characters.")
  .optional()
  .transform((v) => (v ? v : undefined));
const optionalDate = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "Enter a date and time, e.g. 2026-11-24T09:00." });
      return z.NEVER;
    }
    return d;
  });

/** Filters of the audit page, read from its query string. */
export const auditFilters = z
  .object({
    actor: optionalText,
    team: optionalText,
    action: z
      .string()
      .trim()
      .regex(/^[a-z_.]*$/, "Use an action such as team.created.")
      .optional()
      .transform((v) => (v ? v : undefined)),
    from: optionalDate,
    to: optionalDate,
    page: z.coerce.number().int("Use a whole page number.").min(1, "Pages start at 1.").max(10_000).default(1),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The end must be after the start.", path: ["to"] });

export type AuditFilters = z.infer<typeof auditFilters>;
export const AUDIT_PAGE_SIZE = 50;
