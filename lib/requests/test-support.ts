// Shared setup of the request integration tests (not a test file itself): real PostgreSQL,
// a real bare Git repository through the local provider, and pg-boss on the test database.
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { setTestConfig } from "@/tests/support/config";
import { recordSignIn } from "@/lib/teams/record-sign-in";
import { loadViewer, type Viewer } from "@/lib/auth/viewer";
import { getDb } from "@/lib/db";
import type { GitOpsProvider } from "@/lib/gitops/types";
import { startQueue, stopQueue } from "@/lib/jobs/queue";
import { setupLocalRepository } from "@/lib/gitops/local/test-support";
import { createTeam, mapTeamGroup } from "@/lib/teams/services";
import type { ForgeContext } from "./context";
import { openRequestPullRequest } from "./forge-flow";

export const actorOf = (v: Viewer) => ({ id: v.id, label: v.email ?? v.name, clientIp: "127.0.0.1" });

setTestConfig({
  BERTH_PLACEMENTS_FILE: path.resolve("lib/templates/testdata/placements.yaml"),
  BERTH_QUOTA_TENANTS_PER_TEAM: "3",
  BERTH_QUOTA_CPU_PER_TEAM: "10",
});

/** Queue up, fixture repository per test, and a way to build the context around any provider. */
export function setupRequestFixture() {
  const repo = setupLocalRepository();
  beforeAll(async () => {
    await startQueue(inject("databaseUrl"));
  });
  afterAll(stopQueue);
  return {
    repo,
    ctx: (provider?: GitOpsProvider): ForgeContext => ({
      db: getDb(),
      provider: provider ?? repo.provider,
      baseUrl: "http://berth.test",
    }),
  };
}

const admin = "berth-platform-admins";

/** Teams payments and search, each with a member and an owner, plus a platform admin. */
export async function seedPeople() {
  const actor = { id: null, label: "seed", clientIp: null };
  for (const slug of ["payments", "search"]) {
    await createTeam({ db: getDb(), actor, input: { slug, displayName: slug, description: "" } });
    await mapTeamGroup({ db: getDb(), actor, teamSlug: slug, groupId: `berth-${slug}`, role: "member" });
    await mapTeamGroup({ db: getDb(), actor, teamSlug: slug, groupId: `berth-${slug}-owners`, role: "owner" });
  }
  const person = async (sub: string, groups: string[]) =>
    (await loadViewer(
      getDb(),
      await recordSignIn({
        db: getDb(),
        identity: { subject: `dev:${sub}`, name: sub, email: `${sub}@test`, groups },
        adminGroup: admin,
        clientIp: null,
      }),
    ))!;
  return {
    dev: await person("dev", ["berth-payments"]),
    owner: await person("owner", ["berth-payments-owners"]),
    other: await person("other", ["berth-search"]),
    admin: await person("ada", [admin]),
    admin2: await person("bob", [admin, "berth-payments-owners"]),
  };
}

export const vclusterForm = (tenantName: string, fields: Record<string, string> = {}) => ({
  template: "shared-vcluster",
  team: "payments",
  tenantName,
  placement: "shared-east/team-pool",
  fields: { "param.size": "S", ...fields },
});

export async function runJob(ctx: ForgeContext, requestId: string) {
  return openRequestPullRequest(ctx, requestId);
}
