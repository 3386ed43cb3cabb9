import { afterEach, describe, expect, it } from "vitest";
import { setupLocalRepository } from "@/lib/gitops/local/test-support";
import { getCatalog, readGitTemplatesFrom } from "./catalog";
import { gitOpsTemplateSource } from "./git-source";

const repo = setupLocalRepository();
afterEach(() => readGitTemplatesFrom(null));

const manifest = (version: string) => `name: shared-vcluster
version: ${version}
kind: shared-vcluster
title: Platform team's vCluster ${version}
parameters: { type: object, properties: { size: { type: string, default: S } } }
policy: { autoApprove: false }
`;
const file = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: "{{ tenant.namespace }}" }\n';

describe("templates from the GitOps repository", () => {
  it("adds and overrides templates from templates/ on the base branch, and reports broken ones", async () => {
    await repo.provider.commitFiles({
      branch: "platform/templates",
      base: "main",
      message: "platform templates",
      author: { name: "p", email: "p@x" },
      changes: [
        { path: "templates/shared-vcluster/1.0.0/template.yaml", content: manifest("1.0.0") },
        { path: "templates/shared-vcluster/1.0.0/files/ns.yaml", content: file },
        { path: "templates/shared-vcluster/2.0.0/template.yaml", content: manifest("2.0.0") },
        { path: "templates/shared-vcluster/2.0.0/files/ns.yaml", content: file },
        { path: "templates/broken/1.0.0/template.yaml", content: "name: [" },
      ],
    });
    const pr = await repo.provider.openPullRequest({
      head: "platform/templates",
      base: "main",
      title: "templates",
      body: "",
      labels: [],
    });
    await repo.provider.mergePullRequest(pr.number, { message: "templates" });
    readGitTemplatesFrom(gitOpsTemplateSource(repo.provider));
    const catalog = await getCatalog();
    const vc = catalog.templates
      .filter((t) => t.name === "shared-vcluster")
      .map((t) => [t.version, t.source.kind, t.title]);
    expect(vc).toEqual([
      ["2.0.0", "git", "Platform team's vCluster 2.0.0"],
      ["1.0.0", "git", "Platform team's vCluster 1.0.0"],
    ]);
    expect(catalog.templates.some((t) => t.name === "sandbox" && t.source.kind === "builtin")).toBe(true);
    expect(catalog.errors).toEqual([
      expect.objectContaining({ source: "git", file: "templates/broken/1.0.0/template.yaml" }),
    ]);
  });

  it("keeps the built-ins when the repository has no templates/ folder", async () => {
    readGitTemplatesFrom(gitOpsTemplateSource(repo.provider));
    const catalog = await getCatalog();
    expect(catalog.errors).toEqual([]);
    expect(catalog.templates.map((t) => t.name).sort()).toEqual([
      "dedicated-aks",
      "dedicated-onprem",
      "sandbox",
      "shared-vcluster",
    ]);
  });
});
