import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/lib/db";
import { isUniqueViolation } from "@/lib/errors";
import { localPullRequestComments, localPullRequests, type LocalPullRequestRow } from "../local-schema";

// Review records of the local provider. Git holds the content; these rows hold what a forge
// would: number, title, state and the merge commit.

type Handle = Db | Tx;

export async function pullByNumber(
  db: Handle,
  number: number,
  opts: { forUpdate?: boolean } = {},
): Promise<LocalPullRequestRow | null> {
  const q = db.select().from(localPullRequests).where(eq(localPullRequests.number, number));
  const rows = opts.forUpdate ? await q.for("update") : await q;
  return rows[0] ?? null;
}

/** The open pull request of `head`, else its most recent one. */
export async function pullForHead(db: Handle, head: string): Promise<LocalPullRequestRow | null> {
  const rows = await db
    .select()
    .from(localPullRequests)
    .where(eq(localPullRequests.headBranch, head))
    .orderBy(sql`${localPullRequests.state} = 'open' DESC`, desc(localPullRequests.number))
    .limit(1);
  return rows[0] ?? null;
}

/** Inserts an open pull request; null when `head` already has one (unique partial index). */
export async function insertOpenPull(
  db: Handle,
  values: { headBranch: string; baseBranch: string; title: string; body: string; labels: string[] },
): Promise<LocalPullRequestRow | null> {
  try {
    const rows = await db.insert(localPullRequests).values(values).returning();
    return rows[0] ?? null;
  } catch (err) {
    if (isUniqueViolation(err, "local_pull_requests_open_head_idx")) return null;
    throw err;
  }
}

export async function markMerged(
  db: Handle,
  number: number,
  shas: { mergeCommitSha: string; headSha: string },
): Promise<void> {
  await db
    .update(localPullRequests)
    .set({ state: "merged", ...shas, updatedAt: sql`now()`, closedAt: sql`now()` })
    .where(and(eq(localPullRequests.number, number), eq(localPullRequests.state, "open")));
}

/** Closes an open pull request; a merged or closed one is left as it is. */
export async function markClosed(db: Handle, number: number, headSha: string | null): Promise<void> {
  await db
    .update(localPullRequests)
    .set({ state: "closed", headSha, updatedAt: sql`now()`, closedAt: sql`now()` })
    .where(and(eq(localPullRequests.number, number), eq(localPullRequests.state, "open")));
}

export async function insertComment(db: Handle, number: number, body: string): Promise<void> {
  await db.insert(localPullRequestComments).values({ pullRequestNumber: number, body });
}

export async function listComments(db: Handle, number: number): Promise<{ body: string; createdAt: Date }[]> {
  return db
    .select({ body: localPullRequestComments.body, createdAt: localPullRequestComments.createdAt })
    .from(localPullRequestComments)
    .where(eq(localPullRequestComments.pullRequestNumber, number))
    .orderBy(localPullRequestComments.id);
}
