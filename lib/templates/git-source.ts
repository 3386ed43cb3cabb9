import "server-only";
import { ForgeRequestError } from "@/lib/gitops/errors";
import type { GitOpsProvider } from "@/lib/gitops/types";
import type { FileSource } from "./load";

/** The GitOps repository's base branch as a template source; a missing templates/ folder is empty. */
export function gitOpsTemplateSource(provider: GitOpsProvider): FileSource {
  const ref = provider.baseBranch;
  return {
    kind: "git",
    list: async (dir) => {
      try {
        return await provider.listFiles({ dir, ref });
      } catch (err) {
        if (err instanceof ForgeRequestError && err.status === 404) return [];
        throw err;
      }
    },
    read: async (file) => (await provider.readFile({ path: file, ref })) ?? "",
  };
}
