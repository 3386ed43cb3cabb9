// What lib/config maps the environment onto: one variant per GitOps backend. Secrets (tokens)
// travel here; webhook secrets do not (they are passed to verifyWebhook by the route).

export type GitOpsConfig =
  | {
      kind: "local";
      /** Folder of the bare repository; created with an initial commit when missing. */
      repositoryPath: string;
      /** Berth's public URL, for links to local pull requests (<baseUrl>/gitops/pulls/<n>). */
      baseUrl: string;
      baseBranch: string;
      /** git executable (default "git" on /usr/local/bin:/usr/bin:/bin). */
      gitBinary?: string;
    }
  | {
      kind: "gitea";
      /** Instance URL without /api/v1, e.g. https://gitea.example.com. */
      url: string;
      token: string;
      owner: string;
      repo: string;
      baseBranch: string;
    }
  | {
      kind: "github";
      /** REST API root: https://api.github.com, or https://<host>/api/v3 for Enterprise Server. */
      url: string;
      token: string;
      owner: string;
      repo: string;
      baseBranch: string;
    }
  | {
      kind: "gitlab";
      /** Instance URL without /api/v4, e.g. https://gitlab.com. */
      url: string;
      token: string;
      /** Numeric project id or full path "group/subgroup/project". */
      project: string;
      baseBranch: string;
    }
  | {
      kind: "azure-devops";
      /** Organisation URL https://dev.azure.com/<org> (or https://<server>/tfs/<collection>). */
      url: string;
      project: string;
      repository: string;
      /** Personal access token with Code (read & write). */
      token: string;
      baseBranch: string;
    };

export type GitOpsKind = GitOpsConfig["kind"];
