import "server-only";
import { getDb, type Db } from "@/lib/db";
import { AzureDevOpsProvider } from "./azure-devops";
import type { GitOpsConfig } from "./config";
import { GiteaProvider } from "./gitea";
import { GitHubProvider } from "./github";
import { GitLabProvider } from "./gitlab";
import { LocalGitOpsProvider } from "./local/provider";
import type { GitOpsProvider } from "./types";

/**
 * The provider for a configuration. The local provider keeps its pull requests in the database
 * (the shared pool unless deps.db is given); the caller runs ensureLocalRepository at start-up.
 */
export function createGitOpsProvider(config: GitOpsConfig, deps: { db?: Db } = {}): GitOpsProvider {
  switch (config.kind) {
    case "local": {
      return new LocalGitOpsProvider({
        repositoryPath: config.repositoryPath,
        db: deps.db ?? getDb(),
        baseUrl: config.baseUrl,
        baseBranch: config.baseBranch,
        gitBinary: config.gitBinary,
      });
    }
    case "gitea":
      return new GiteaProvider(config);
    case "github":
      return new GitHubProvider({
        apiUrl: config.url,
        token: config.token,
        owner: config.owner,
        repo: config.repo,
        baseBranch: config.baseBranch,
      });
    case "gitlab":
      return new GitLabProvider(config);
    case "azure-devops":
      return new AzureDevOpsProvider(config);
  }
}
