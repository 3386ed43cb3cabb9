import "server-only";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { createGitOpsProvider } from "@/lib/gitops/factory";
import { gitOpsConfigFrom } from "@/lib/gitops/from-config";
import type { ForgeContext } from "@/lib/requests/context";
import { refreshAfterMerge } from "@/lib/status/runtime";

const store = globalThis as typeof globalThis & { __berthForge?: ForgeContext };

/** The configured GitOps provider with the database, shared by actions, routes and jobs. */
export function getForgeContext(): ForgeContext {
  store.__berthForge ??= {
    db: getDb(),
    provider: createGitOpsProvider(gitOpsConfigFrom(getConfig())),
    baseUrl: getConfig().baseUrl,
    afterMerge: refreshAfterMerge,
  };
  return store.__berthForge;
}
