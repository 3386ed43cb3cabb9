import { sql } from "drizzle-orm";
import { bigint, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Mirrors db/migrations/0002_gitops_local.sql (the source of truth); kept out of db/schema.ts
// because only the local GitOps provider reads these tables.

export const localPullRequests = pgTable("local_pull_requests", {
  number: integer("number").primaryKey().generatedAlwaysAsIdentity(),
  headBranch: text("head_branch").notNull(),
  baseBranch: text("base_branch").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull().default(""),
  labels: text("labels").array().notNull().default(sql`'{}'`),
  state: text("state", { enum: ["open", "merged", "closed"] })
    .notNull()
    .default("open"),
  headSha: text("head_sha"),
  mergeCommitSha: text("merge_commit_sha"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp("closed_at", { withTimezone: true }),
});

export const localPullRequestComments = pgTable("local_pull_request_comments", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  pullRequestNumber: integer("pull_request_number")
    .notNull()
    .references(() => localPullRequests.number, { onDelete: "cascade" }),
  body: text("body").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type LocalPullRequestRow = typeof localPullRequests.$inferSelect;
