import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  inet,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

// Mirrors db/migrations/*.sql, which are the source of truth; Drizzle only types the queries.
export const teamRole = pgEnum("team_role", ["member", "owner"]);

export const users = pgTable("users", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  subject: text("subject").notNull().unique(),
  email: text("email"),
  name: text("name").notNull(),
  directoryGroups: text("directory_groups").array().notNull().default(sql`'{}'`),
  isPlatformAdmin: boolean("is_platform_admin").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }).notNull().defaultNow(),
});

export const teams = pgTable("teams", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  slug: text("slug").notNull().unique(),
  displayName: text("display_name").notNull(),
  description: text("description").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const teamGroups = pgTable(
  "team_groups",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    groupId: text("group_id").notNull(),
    role: teamRole("role").notNull().default("member"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.groupId] })],
);

export const memberships = pgTable(
  "memberships",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: teamRole("role").notNull(),
    refreshedAt: timestamp("refreshed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const auditEvents = pgTable("audit_events", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  actorId: uuid("actor_id"),
  actorLabel: text("actor_label").notNull(),
  action: text("action").notNull(),
  subjectType: text("subject_type").notNull(),
  subjectId: text("subject_id").notNull(),
  teamId: uuid("team_id"),
  before: jsonb("before"),
  after: jsonb("after"),
  clientIp: inet("client_ip"),
  reason: text("reason"),
});

export type TeamRole = (typeof teamRole.enumValues)[number];

export const tenantLifecycle = pgEnum("tenant_lifecycle", [
  "pending",
  "active",
  "decommissioning",
  "deleted",
  "abandoned",
]);
export const requestAction = pgEnum("request_action", ["create", "update", "decommission"]);
export const requestState = pgEnum("request_state", [
  "submitted",
  "pr_open",
  "approved",
  "merged",
  "rejected",
  "cancelled",
  "failed",
  "deleting",
  "deleted",
]);

/**
 * Where a tenant lands and what it has: the tenant's current target (tenants) and the one a
 * request gives it once merged (requests). One definition for both tables; lib/tenants/target.ts
 * has the TypeScript shape and the helpers the services use.
 */
const targetColumns = () => ({
  placement: text("placement").notNull(),
  nodePool: text("node_pool"),
  cpuMillis: integer("cpu_millis").notNull().default(0),
  memoryMib: integer("memory_mib").notNull().default(0),
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  outputs: jsonb("outputs").notNull().default(sql`'{}'`),
});

export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  name: text("name").notNull(),
  teamId: uuid("team_id")
    .notNull()
    .references(() => teams.id),
  ownerId: uuid("owner_id")
    .notNull()
    .references(() => users.id),
  kind: text("kind").notNull(),
  templateName: text("template_name").notNull(),
  templateVersion: text("template_version").notNull(),
  parameters: jsonb("parameters").notNull(),
  ...targetColumns(),
  lifecycle: tenantLifecycle("lifecycle").notNull().default("pending"),
  remindedAt: timestamp("reminded_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const requests = pgTable("requests", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  tenantId: uuid("tenant_id")
    .notNull()
    .references(() => tenants.id),
  action: requestAction("action").notNull(),
  state: requestState("state").notNull().default("submitted"),
  requestedBy: uuid("requested_by")
    .notNull()
    .references(() => users.id),
  templateName: text("template_name").notNull(),
  templateVersion: text("template_version").notNull(),
  parameters: jsonb("parameters").notNull(),
  ...targetColumns(),
  changes: jsonb("changes").notNull(),
  autoApprove: boolean("auto_approve").notNull().default(false),
  selfApproval: boolean("self_approval").notNull().default(false),
  branch: text("branch").notNull().unique(),
  prNumber: integer("pr_number"),
  prUrl: text("pr_url"),
  mergeCommitSha: text("merge_commit_sha"),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
  reason: text("reason"),
  previewFingerprint: text("preview_fingerprint"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const requestPreviews = pgTable("request_previews", {
  id: uuid("id").primaryKey(),
  fingerprint: text("fingerprint").notNull().unique(),
  viewerId: uuid("viewer_id")
    .notNull()
    .references(() => users.id),
  action: requestAction("action").notNull(),
  tenantExpiresAt: timestamp("tenant_expires_at", { withTimezone: true }),
  baseFingerprint: text("base_fingerprint"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const requestTransitions = pgTable("request_transitions", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  requestId: uuid("request_id")
    .notNull()
    .references(() => requests.id),
  fromState: requestState("from_state"),
  toState: requestState("to_state").notNull(),
  actorId: uuid("actor_id"),
  actorLabel: text("actor_label").notNull(),
  reason: text("reason"),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});

export const teamQuotas = pgTable("team_quotas", {
  teamId: uuid("team_id")
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  maxTenants: integer("max_tenants").notNull(),
  maxCpuMillis: integer("max_cpu_millis").notNull(),
  maxMemoryMib: integer("max_memory_mib").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type RequestState = (typeof requestState.enumValues)[number];
export type RequestAction = (typeof requestAction.enumValues)[number];

export const tenantStatus = pgTable("tenant_status", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  phase: text("phase").notNull(),
  message: text("message"),
  syncedToChange: boolean("synced_to_change").notNull().default(false),
  revision: text("revision"),
  syncStatus: text("sync_status"),
  healthStatus: text("health_status"),
  operationPhase: text("operation_phase"),
  sources: jsonb("sources").notNull().default(sql`'{}'`),
  observedAt: timestamp("observed_at", { withTimezone: true }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const tenantStatusHistory = pgTable("tenant_status_history", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
  phase: text("phase").notNull(),
  message: text("message"),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});

export const statusReader = pgTable("status_reader", {
  id: integer("id").primaryKey(),
  holder: text("holder").notNull(),
  connected: boolean("connected").notNull(),
  lastEventAt: timestamp("last_event_at", { withTimezone: true }),
  error: text("error"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const notifications = pgTable("notifications", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  kind: text("kind").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull().default(""),
  link: text("link"),
  dedupeKey: text("dedupe_key").notNull(),
  readAt: timestamp("read_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const notificationDeliveries = pgTable("notification_deliveries", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  notificationId: uuid("notification_id")
    .notNull()
    .references(() => notifications.id, { onDelete: "cascade" }),
  channel: text("channel").notNull(),
  state: text("state").notNull().default("pending"),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const jobRuns = pgTable("job_runs", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  finishedAt: timestamp("finished_at", { withTimezone: true }).notNull().defaultNow(),
  outcome: jsonb("outcome").notNull().default(sql`'{}'`),
  error: text("error"),
});
