"use server";
import { z } from "zod";
import { authedAction } from "@/lib/entry/action";
import { auditActorFor } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { getForgeContext } from "@/lib/entry/forge-context";
import { openBootstrapPullRequest } from "@/lib/gitops/bootstrap";

/** Platform admins open the pull request that adds bootstrap/ (AppProject + ApplicationSet). */
export const bootstrapGitOpsAction = authedAction(
  { name: "bootstrapGitOps", may: "gitops.bootstrap", schema: z.object({}) },
  async ({ viewer }) => {
    const pr = await openBootstrapPullRequest({
      db: getDb(),
      provider: getForgeContext().provider,
      config: getConfig(),
      actor: await auditActorFor(viewer),
    });
    return { number: pr.number, url: pr.url, state: pr.state };
  },
);
