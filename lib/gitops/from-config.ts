import "server-only";
import type { Config } from "@/lib/config";
import type { GitOpsConfig } from "./config";

/** Maps Berth's validated settings onto the provider configuration. */
export function gitOpsConfigFrom(config: Config): GitOpsConfig {
  const g = config.gitops;
  const baseBranch = g.baseBranch;
  const parts = (g.repo ?? "").split("/");
  switch (g.provider) {
    case "local":
      return { kind: "local", repositoryPath: g.localPath, baseUrl: config.baseUrl, baseBranch };
    case "gitea":
      return {
        kind: "gitea",
        url: g.url ?? "",
        token: g.token ?? "",
        owner: parts[0] ?? "",
        repo: parts.slice(1).join("/"),
        baseBranch,
      };
    case "github":
      return {
        kind: "github",
        url: g.url ?? "https://api.github.com",
        token: g.token ?? "",
        owner: parts[0] ?? "",
        repo: parts.slice(1).join("/"),
        baseBranch,
      };
    case "gitlab":
      return {
        kind: "gitlab",
        url: g.url ?? "https://gitlab.com",
        token: g.token ?? "",
        project: g.repo ?? "",
        baseBranch,
      };
    case "azure-devops":
      // organization/project/repository
      return {
        kind: "azure-devops",
        url: `${g.url ?? "https://dev.azure.com"}/${parts[0] ?? ""}`,
        project: parts[1] ?? "",
        repository: parts.slice(2).join("/"),
        token: g.token ?? "",
        baseBranch,
      };
  }
}
