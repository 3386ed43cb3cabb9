import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { getConfig } from "@/lib/config";
import { getDb, getPool } from "@/lib/db";
import { setupLocalRepository } from "./local/test-support";
import { bootstrapFiles, openBootstrapPullRequest } from "./bootstrap";

const repo = setupLocalRepository();

describe("GitOps bootstrap", () => {
  it("renders an AppProject and an ApplicationSet over tenants/* that skips Berth's tenant.yaml", () => {
    const [project, appSet] = bootstrapFiles(getConfig()).map((f) => ("content" in f ? parse(f.content) : null));
    expect(project).toMatchObject({ kind: "AppProject", metadata: { name: "berth-tenants" } });
    expect(appSet.spec.generators[0].git.directories).toEqual([{ path: "tenants/*" }]);
    expect(appSet.spec.template.spec.source.directory.exclude).toBe("tenant.yaml");
    expect(appSet.spec.template.spec.project).toBe("berth-tenants");
  });

  it("opens one pull request, however often it is asked, and audits it", async () => {
    const actor = { id: null, label: "test", clientIp: null };
    const a = await openBootstrapPullRequest({ db: getDb(), provider: repo.provider, config: getConfig(), actor });
    const b = await openBootstrapPullRequest({ db: getDb(), provider: repo.provider, config: getConfig(), actor });
    expect(b.number).toBe(a.number);
    expect(await repo.provider.listFiles({ dir: "bootstrap", ref: "berth/bootstrap" })).toEqual([
      "bootstrap/app-project.yaml",
      "bootstrap/tenants-applicationset.yaml",
    ]);
    expect(
      (await getPool().query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'gitops.bootstrap_opened'"))
        .rows[0].n,
    ).toBe(2);
  });
});
