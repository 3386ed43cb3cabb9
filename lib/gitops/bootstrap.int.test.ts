import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { getConfig } from "@/lib/config";
import { getDb, getPool } from "@/lib/db";
import { setupLocalRepository } from "./local/test-support";
import { bootstrapFiles, openBootstrapPullRequest } from "./bootstrap";

const repo = setupLocalRepository();

describe("GitOps bootstrap", () => {
  it("renders the settings, projects and an ApplicationSet over tenants/*/tenant.yaml into the team's project", () => {
    const files = Object.fromEntries(bootstrapFiles(getConfig()).map((f) => [f.path, "content" in f ? f.content : ""]));
    const appSet = parse(files["bootstrap/tenants-applicationset.yaml"]!);
    expect(appSet.spec.generators[0].git.files).toEqual([{ path: "tenants/*/tenant.yaml" }]);
    expect(appSet.spec.template.spec.source.directory.exclude).toBe("{tenant.yaml,argocd-project.yaml}");
    expect(appSet.spec.template.spec.project).toBe("berth-team-{{ .spec.team }}");
    expect(parse(files["bootstrap/team-projects-app.yaml"]!).spec.source.helm.valueFiles).toEqual([
      "/tenants/*/argocd-project.yaml",
    ]);
  });

  it("opens one pull request, however often it is asked, and audits it", async () => {
    const actor = { id: null, label: "test", clientIp: null };
    const a = await openBootstrapPullRequest({ db: getDb(), provider: repo.provider, config: getConfig(), actor });
    const b = await openBootstrapPullRequest({ db: getDb(), provider: repo.provider, config: getConfig(), actor });
    expect(b.number).toBe(a.number);
    expect(await repo.provider.listFiles({ dir: "bootstrap", ref: "berth/bootstrap" })).toEqual([
      "bootstrap/argocd-settings.yaml",
      "bootstrap/berth-bootstrap.yaml",
      "bootstrap/platform-project.yaml",
      "bootstrap/team-projects-app.yaml",
      "bootstrap/team-projects/Chart.yaml",
      "bootstrap/team-projects/templates/projects.yaml",
      "bootstrap/team-projects/values.yaml",
      "bootstrap/tenants-applicationset.yaml",
    ]);
    expect(
      (await getPool().query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'gitops.bootstrap_opened'"))
        .rows[0].n,
    ).toBe(2);
  });
});
