import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestPreviews, requests } from "@/db/schema";
import { getDb, getPool } from "@/lib/db";
import type { FileChange } from "@/lib/gitops/types";
import { readGitTemplatesFrom } from "@/lib/templates/catalog";
import { fingerprintChanges } from "@/lib/templates/fingerprint";
import { directorySource } from "@/lib/templates/load";
import { submitUpdateRequest } from "./change";
import { approveRequest } from "./decisions";
import { previewRequest } from "./preview";
import { submitCreateRequest } from "./submit";
import { actorOf, runJob, seedPeople, setupRequestFixture, vclusterForm } from "./test-support";

const f = setupRequestFixture();
let people: Awaited<ReturnType<typeof seedPeople>>;
beforeEach(async () => {
  people = await seedPeople();
});
afterEach(() => readGitTemplatesFrom(null));

// Every kind of field of shared-vcluster changed from its default.
const CHANGED = {
  "param.size": "M",
  "param.kubernetesVersion": "1.31",
  "param.apiExposure": "internal",
  "param.argocd": "false",
  "param.kyvernoBaseline": "on",
  "param.purpose": "payments staging",
};

const previewCreate = (name: string, fields: Record<string, string> = CHANGED, viewer = people.dev) =>
  previewRequest({ db: getDb(), viewer, input: { action: "create", form: vclusterForm(name, fields) } });
const submitCreate = (
  name: string,
  fingerprint: string,
  fields: Record<string, string> = CHANGED,
  viewer = people.dev,
) =>
  submitCreateRequest({
    db: getDb(),
    viewer,
    actor: actorOf(viewer),
    form: vclusterForm(name, fields),
    previewFingerprint: fingerprint,
  });

/** The files on a branch below tenants/<name>/, as the change set that wrote them. */
async function filesOnBranch(name: string, ref: string): Promise<FileChange[]> {
  const paths = await f.repo.provider.listFiles({ dir: `tenants/${name}`, ref });
  return Promise.all(
    paths.map(async (p) => ({ path: p, content: (await f.repo.provider.readFile({ path: p, ref }))! })),
  );
}

describe("preview fingerprints", () => {
  it("the submit gets the preview's id, and its pull request and merge carry exactly the previewed files", async () => {
    const preview = await previewCreate("fp-exact");
    expect(preview.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(preview.fingerprint).toBe(fingerprintChanges(preview.files));
    const { requestId } = await submitCreate("fp-exact", preview.fingerprint);
    const [row] = await getDb()
      .select({ fp: requests.previewFingerprint, changes: requests.changes })
      .from(requests)
      .where(eq(requests.id, requestId));
    expect(row!.fp).toBe(preview.fingerprint);
    expect(row!.changes).toEqual(preview.files);
    // The preview's labels name the request it became.
    expect(preview.files[0]!.content).toContain(`berth.io/request: ${requestId}`);

    await runJob(f.ctx(), requestId);
    const branch = `berth/request-${requestId}`;
    expect(fingerprintChanges(await filesOnBranch("fp-exact", branch))).toBe(preview.fingerprint);
    const pr = await f.repo.provider.getPullRequest(1);
    expect(pr.headBranch).toBe(branch);
    await approveRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin) });
    const merged = await filesOnBranch("fp-exact", "main");
    expect(fingerprintChanges(merged)).toBe(preview.fingerprint);
    const tenantYaml = merged.find((m) => m.path.endsWith("tenant.yaml")) as { content: string };
    expect(tenantYaml.content).toContain("size: M");
    expect(tenantYaml.content).toContain("apiExposure: internal");
    expect(tenantYaml.content).toContain("argocd: false");
    expect(tenantYaml.content).toContain('kubernetesVersion: "1.31"');
    expect(tenantYaml.content).toContain("purpose: payments staging");
  });

  it("a request whose stored files no longer match its preview never reaches Git", async () => {
    const preview = await previewCreate("fp-tamper");
    const { requestId } = await submitCreate("fp-tamper", preview.fingerprint);
    const tampered = preview.files.map((x) => ({ ...x, content: x.content.replace("size: M", "size: L") }));
    await getDb().update(requests).set({ changes: tampered }).where(eq(requests.id, requestId));
    await expect(runJob(f.ctx(), requestId)).rejects.toThrow("do not match the requester's preview");
    const [row] = await getDb().select({ state: requests.state }).from(requests).where(eq(requests.id, requestId));
    expect(row!.state).toBe("failed");
    expect(await f.repo.provider.findPullRequest({ head: `berth/request-${requestId}` })).toBeNull();
  });

  it("the same values render the same files again; any changed value is refused", async () => {
    const preview = await previewCreate("fp-change");
    const variants: [string, Record<string, string>][] = [
      ["size", { ...CHANGED, "param.size": "L" }],
      ["select", { ...CHANGED, "param.apiExposure": "ingress" }],
      ["checkbox", { ...CHANGED, "param.argocd": "on" }],
      ["other checkbox", { ...CHANGED, "param.kyvernoBaseline": "false" }],
      ["text", { ...CHANGED, "param.purpose": "payments staging!" }],
      ["version", { ...CHANGED, "param.kubernetesVersion": "1.30" }],
    ];
    for (const [what, fields] of variants) {
      await expect(submitCreate("fp-change", preview.fingerprint, fields), what).rejects.toMatchObject({
        field: "previewFingerprint",
        message: expect.stringContaining("differ from your preview"),
      });
    }
    // Another tenant name is another set of files too.
    await expect(submitCreate("fp-change-2", preview.fingerprint)).rejects.toMatchObject({
      field: "previewFingerprint",
    });
    // Nothing was recorded, and the unchanged values still go through under the preview.
    expect(await getDb().select({ id: requests.id }).from(requests)).toEqual([]);
    const ok = await submitCreate("fp-change", preview.fingerprint);
    expect(ok.tenantName).toBe("fp-change");
  });

  it("a preview is submitted once, only by the person who made it, and not after it expired", async () => {
    const preview = await previewCreate("fp-once");
    // The team's owner has the same rights, but not this preview (and renders other files: requestedBy).
    await expect(submitCreate("fp-once", preview.fingerprint, CHANGED, people.owner)).rejects.toMatchObject({
      field: "previewFingerprint",
      message: expect.stringContaining("No preview of yours"),
    });
    await submitCreate("fp-once", preview.fingerprint);
    await expect(submitCreate("fp-once", preview.fingerprint)).rejects.toMatchObject({ field: "previewFingerprint" });
    expect(await getDb().select().from(requestPreviews)).toEqual([]);

    const late = await previewCreate("fp-late");
    await getPool().query("UPDATE request_previews SET created_at = now() - interval '61 minutes'");
    await expect(submitCreate("fp-late", late.fingerprint)).rejects.toMatchObject({
      field: "previewFingerprint",
      message: expect.stringContaining("older than 60 minutes"),
    });
    await expect(submitCreate("fp-late", "sha256:not-hex")).rejects.toMatchObject({ field: "previewFingerprint" });
  });

  it("a template changed between preview and submit is refused", async () => {
    const preview = await previewCreate("fp-race");
    // The platform team publishes shared-vcluster@1.0.0 in the GitOps repository with one label changed.
    const dir = await mkdtemp(path.join(os.tmpdir(), "berth-templates-"));
    readGitTemplatesFrom({ ...directorySource(dir), kind: "git" }, 0);
    try {
      const target = path.join(dir, "templates", "shared-vcluster", "1.0.0");
      await cp(path.resolve("templates/builtin/shared-vcluster/1.0.0"), target, { recursive: true });
      const ns = path.join(target, "files", "namespace.yaml");
      await writeFile(ns, (await readFile(ns, "utf8")).replace("enforce: baseline", "enforce: restricted"));
      await expect(submitCreate("fp-race", preview.fingerprint)).rejects.toMatchObject({
        field: "previewFingerprint",
        message: expect.stringContaining("the template or its placement changed"),
      });
      // A new preview shows the new template, and that one can be submitted.
      const again = await previewCreate("fp-race");
      expect(again.files.find((x) => x.path.endsWith("namespace.yaml"))!.content).toContain("enforce: restricted");
      await submitCreate("fp-race", again.fingerprint);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a change is submitted as previewed, with its deletions; a merge in between makes the preview stale", async () => {
    const first = await previewCreate("fp-upd", { ...CHANGED, "param.argocd": "on" });
    const { requestId } = await submitCreate("fp-upd", first.fingerprint, { ...CHANGED, "param.argocd": "on" });
    await runJob(f.ctx(), requestId);
    await approveRequest(f.ctx(), { requestId, viewer: people.admin, actor: actorOf(people.admin) });

    const change = { ...CHANGED, "param.size": "L", "param.argocd": "false" };
    const update = (fields: Record<string, string>) =>
      previewRequest({ db: getDb(), viewer: people.dev, input: { action: "update", tenantName: "fp-upd", fields } });
    const submitUpdate = (fields: Record<string, string>, previewFingerprint?: string) =>
      submitUpdateRequest({
        db: getDb(),
        viewer: people.dev,
        actor: actorOf(people.dev),
        tenantName: "fp-upd",
        fields,
        previewFingerprint,
      });
    const preview = await update(change);
    expect(preview.deletes).toEqual(["tenants/fp-upd/argocd.yaml"]);
    expect(preview.diff!.map((d) => [d.path, d.status])).toContainEqual(["tenants/fp-upd/argocd.yaml", "deleted"]);
    await expect(submitUpdate({ ...change, "param.size": "M" }, preview.fingerprint)).rejects.toMatchObject({
      field: "previewFingerprint",
    });

    // Another change (without a preview, as a script would) is merged after the preview was made.
    const other = await submitUpdate({ ...CHANGED, "param.argocd": "on", "param.purpose": "moved on" });
    await runJob(f.ctx(), other.requestId);
    await approveRequest(f.ctx(), { requestId: other.requestId, viewer: people.admin, actor: actorOf(people.admin) });
    await expect(submitUpdate(change, preview.fingerprint)).rejects.toMatchObject({
      field: "previewFingerprint",
      message: expect.stringContaining("changed since your preview"),
    });

    const fresh = await update(change);
    const done = await submitUpdate(change, fresh.fingerprint);
    await runJob(f.ctx(), done.requestId);
    await approveRequest(f.ctx(), { requestId: done.requestId, viewer: people.admin, actor: actorOf(people.admin) });
    const merged = await filesOnBranch("fp-upd", "main");
    expect(fingerprintChanges(merged)).toBe(fingerprintChanges(fresh.files));
    expect(merged.map((m) => m.path)).not.toContain("tenants/fp-upd/argocd.yaml");
  });
});
