import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { createGitOpsProvider } from "./factory";

describe("createGitOpsProvider", () => {
  it("builds each provider kind from its configuration", () => {
    const base = { baseBranch: "main", token: "t" };
    expect(
      createGitOpsProvider({ kind: "gitea", url: "https://gitea.test", owner: "o", repo: "r", ...base }).kind,
    ).toBe("gitea");
    expect(
      createGitOpsProvider({ kind: "github", url: "https://api.github.com", owner: "o", repo: "r", ...base }).kind,
    ).toBe("github");
    expect(createGitOpsProvider({ kind: "gitlab", url: "https://gitlab.test", project: "g/p", ...base }).kind).toBe(
      "gitlab",
    );
    const az = createGitOpsProvider({
      kind: "azure-devops",
      url: "https://dev.azure.com/org",
      project: "p",
      repository: "r",
      ...base,
    });
    expect(az.kind).toBe("azure-devops");
    const local = createGitOpsProvider(
      { kind: "local", repositoryPath: "/tmp/x.git", baseUrl: "http://b", baseBranch: "trunk" },
      { db: {} as Db },
    );
    expect([local.kind, local.baseBranch]).toEqual(["local", "trunk"]);
  });
});
