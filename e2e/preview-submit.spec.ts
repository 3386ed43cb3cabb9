import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { fingerprintChanges } from "../lib/templates/fingerprint";
import { contextAs, uniqueSlug } from "./support";

// The e2e Berth keeps its GitOps repository in its data folder (playwright.config.ts).
const GIT_DIR = ".data/e2e/gitops.git";
const git = (...args: string[]) => execFileSync("git", ["--git-dir", GIT_DIR, ...args], { encoding: "utf8" });
const mergedTenantYaml = (name: string) => git("show", `main:tenants/${name}/tenant.yaml`);
/** Fingerprint of the tenant's folder on main, computed from Git itself. */
function mergedFingerprint(name: string): string {
  const paths = git("ls-tree", "-r", "--name-only", "main", `tenants/${name}/`).split("\n").filter(Boolean);
  return fingerprintChanges(paths.map((path) => ({ path, content: git("show", `main:${path}`) })));
}

const SHOTS = "test-results/screenshots";
mkdirSync(SHOTS, { recursive: true });

type VclusterValues = {
  size: string;
  kubernetesVersion: string;
  apiExposure: string;
  argocd: boolean;
  kyvernoBaseline: boolean;
  purpose: string;
};

async function fillVcluster(page: Page, v: VclusterValues) {
  await page.getByLabel("Size").selectOption(v.size);
  await page.getByLabel("Kubernetes version").selectOption(v.kubernetesVersion);
  await page.getByLabel("API exposure").selectOption(v.apiExposure);
  await page.getByLabel(/Argo CD core instance/).setChecked(v.argocd);
  await page.getByLabel(/Kyverno baseline policies/).setChecked(v.kyvernoBaseline);
  await page.getByLabel(/Purpose/).fill(v.purpose);
}

/** Every field shows exactly the given values. */
async function expectVcluster(page: Page, v: VclusterValues) {
  await expect(page.getByLabel("Size")).toHaveValue(v.size);
  await expect(page.getByLabel("Kubernetes version")).toHaveValue(v.kubernetesVersion);
  await expect(page.getByLabel("API exposure")).toHaveValue(v.apiExposure);
  if (v.argocd) await expect(page.getByLabel(/Argo CD core instance/)).toBeChecked();
  else await expect(page.getByLabel(/Argo CD core instance/)).not.toBeChecked();
  if (v.kyvernoBaseline) await expect(page.getByLabel(/Kyverno baseline policies/)).toBeChecked();
  else await expect(page.getByLabel(/Kyverno baseline policies/)).not.toBeChecked();
  await expect(page.getByLabel(/Purpose/)).toHaveValue(v.purpose);
}

// Every field of shared-vcluster away from its default (S, 1.32, ingress, both boxes checked, no purpose).
const CHANGED: VclusterValues = {
  size: "M",
  kubernetesVersion: "1.31",
  apiExposure: "internal",
  argocd: false,
  kyvernoBaseline: false,
  purpose: "payments staging, e2e",
};

async function placementFor(api: APIRequestContext, template: string): Promise<string> {
  const { templates } = (await (await api.get("/api/v1/templates")).json()) as {
    templates: { name: string; placements: { value: string }[] }[];
  };
  return templates.find((t) => t.name === template)!.placements[0]!.value;
}

const preview = (page: Page) => page.getByRole("button", { name: "Preview manifests" });

test("what is previewed is what is merged: every kind of field, the approver's diff and the tenant.yaml in Git", async ({
  browser,
}) => {
  const dev = await contextAs(browser, "developer");
  const page = dev.page;
  const name = uniqueSlug("e2e-wysiwyg");
  await page.goto("/catalog/shared-vcluster");
  await page.getByLabel("Tenant name").fill(name);
  await fillVcluster(page, CHANGED);
  const submit = page.getByRole("button", { name: "Submit request" });
  await expect(submit).toBeDisabled();
  await expect(page.getByTestId("submit-note")).toHaveText(/Preview the manifests first/);

  await preview(page).click();
  await expect(page.getByTestId("preview-status")).toHaveText("matches the form");
  // The form still shows every changed value, and the preview rendered them.
  await expectVcluster(page, CHANGED);
  await expect(page.getByLabel("Tenant name")).toHaveValue(name);
  const yaml = page.getByTestId("preview").locator("pre").first();
  for (const line of [
    "size: M",
    'kubernetesVersion: "1.31"',
    "apiExposure: internal",
    "argocd: false",
    "kyvernoBaseline: false",
  ])
    await expect(yaml).toContainText(line);
  await page.screenshot({ path: `${SHOTS}/form-after-preview.png`, fullPage: true });
  const fingerprint = (await page.getByTestId("preview-fingerprint").textContent())!;
  expect(fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);

  // Changing a value makes the preview out of date; changing it back makes it current again.
  await page.getByLabel("Size").selectOption("L");
  await expect(page.getByTestId("preview-status")).toHaveText("out of date");
  await expect(submit).toBeDisabled();
  await expect(page.getByTestId("submit-note")).toHaveText(/changed the form after the preview/);
  await page.screenshot({ path: `${SHOTS}/form-out-of-date.png`, fullPage: true });
  await page.getByLabel("Size").selectOption("M");
  await expect(page.getByTestId("preview-status")).toHaveText("matches the form");
  await submit.click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("preview-note")).toContainText(fingerprint);
  // The approvals page lists a request once the job has opened its pull request.
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "pr_open", { timeout: 15_000 });

  const admin = await contextAs(browser, "admin");
  await admin.page.goto("/approvals");
  const card = admin.page.getByRole("region", { name: `create ${name}` });
  await expect(card.getByTestId("preview-note")).toContainText(fingerprint);
  await expect(card).toContainText("apiExposure: internal");
  await card.screenshot({ path: `${SHOTS}/approval-with-fingerprint.png` });
  await card.getByRole("button", { name: "Approve and merge" }).click();
  await expect(admin.page.getByRole("region", { name: `create ${name}` })).toHaveCount(0);

  // What Git holds is what was previewed, byte for byte.
  const merged = mergedTenantYaml(name);
  expect(merged).toContain("size: M");
  expect(merged).toContain('kubernetesVersion: "1.31"');
  expect(merged).toContain("apiExposure: internal");
  expect(merged).toContain("argocd: false");
  expect(merged).toContain("kyvernoBaseline: false");
  expect(merged).toContain("purpose: payments staging, e2e");
  expect(mergedFingerprint(name)).toBe(fingerprint);

  // The change form starts from the merged values (unchecked boxes included), and submits a change as previewed.
  await page.goto(`/tenants/${name}`);
  await expectVcluster(page, CHANGED);
  const change = { ...CHANGED, size: "L", argocd: true, purpose: "payments staging, bigger" };
  await fillVcluster(page, change);
  await preview(page).click();
  await expect(page.getByTestId("preview-status")).toHaveText("matches the form");
  await expectVcluster(page, change);
  const diff = page.getByRole("region", { name: "Changes compared with the tenant's files in Git" });
  await expect(diff).toContainText(`tenants/${name}/argocd.yaml`);
  const changeFingerprint = (await page.getByTestId("preview-fingerprint").textContent())!;
  await page.getByRole("button", { name: "Request change" }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "pr_open", { timeout: 15_000 });
  await admin.page.goto("/approvals");
  await admin.page
    .getByRole("region", { name: `update ${name}` })
    .getByRole("button", { name: "Approve and merge" })
    .click();
  await expect(admin.page.getByRole("region", { name: `update ${name}` })).toHaveCount(0);
  const updated = mergedTenantYaml(name);
  expect(updated).toContain("size: L");
  expect(updated).toContain("argocd: true");
  expect(updated).toContain("kyvernoBaseline: false");
  expect(mergedFingerprint(name)).toBe(changeFingerprint);
  await dev.context.close();
  await admin.context.close();
});

test("a refused preview or submit keeps every value; a submit that is not the preview is refused by the server", async ({
  browser,
}) => {
  const dev = await contextAs(browser, "developer");
  const page = dev.page;
  await page.goto("/catalog/shared-vcluster");
  // A bad name: the preview is refused and nothing of the form is lost.
  await page.getByLabel("Tenant name").fill("Bad Name");
  await fillVcluster(page, CHANGED);
  await preview(page).click();
  await expect(page.locator("#tenantName-error")).toContainText("lowercase letters");
  await expectVcluster(page, CHANGED);
  await expect(page.getByLabel("Tenant name")).toHaveValue("Bad Name");
  await expect(page.getByRole("button", { name: "Submit request" })).toBeDisabled();

  // A name another tenant holds: the preview works, the submit is refused, the form keeps everything.
  const owner = await contextAs(browser, "owner");
  const taken = uniqueSlug("e2e-taken");
  await owner.page.goto("/catalog/shared-vcluster");
  await owner.page.getByLabel("Tenant name").fill(taken);
  await preview(owner.page).click();
  await owner.page.getByRole("button", { name: "Submit request" }).click();
  await expect(owner.page).toHaveURL(/\/requests\//);
  await page.getByLabel("Tenant name").fill(taken);
  await preview(page).click();
  await expect(page.getByTestId("preview-status")).toHaveText("matches the form");
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.locator("#tenantName-error")).toContainText("is taken");
  await expectVcluster(page, CHANGED);
  await expect(page.getByLabel("Tenant name")).toHaveValue(taken);
  await page.screenshot({ path: `${SHOTS}/form-after-refused-submit.png`, fullPage: true });

  // Forged: the values changed after the preview and the disabled button is clicked anyway.
  const name = uniqueSlug("e2e-forged");
  await page.getByLabel("Tenant name").fill(name);
  await preview(page).click();
  await expect(page.getByTestId("preview-status")).toHaveText("matches the form");
  await page.getByLabel("API exposure").selectOption("loadbalancer");
  const submit = page.getByRole("button", { name: "Submit request" });
  await expect(submit).toBeDisabled();
  await submit.evaluate((b) => b.removeAttribute("disabled"));
  await submit.click();
  await expect(page.getByRole("alert").filter({ hasText: "differ from your preview" })).toBeVisible();
  await expect(page).toHaveURL(/\/catalog\/shared-vcluster$/);
  await expect(page.getByLabel("API exposure")).toHaveValue("loadbalancer");
  await expect(page.getByTestId("preview-status")).toHaveText("out of date");
  await dev.context.close();
  await owner.context.close();
});

test("a sandbox is merged with the expiry and options its preview showed", async ({ browser }) => {
  const { context, page } = await contextAs(browser, "newcomer");
  const name = uniqueSlug("e2e-sbx-form");
  await page.goto("/catalog/sandbox");
  await page.getByLabel("Tenant name").fill(name);
  await page.getByLabel(/Kyverno baseline policies/).uncheck();
  await page.getByLabel("Kubernetes version").selectOption("1.31");
  await page.getByLabel(/Purpose/).fill("trying things");
  await preview(page).click();
  await expect(page.getByTestId("preview-status")).toHaveText("matches the form");
  await expect(page.getByLabel(/Kyverno baseline policies/)).not.toBeChecked();
  await expect(page.getByLabel("Kubernetes version")).toHaveValue("1.31");
  const previewed = (await page.getByTestId("preview").locator("pre").first().textContent())!;
  const expiresAt = /expiresAt: "?([^"\n]+)"?/.exec(previewed)![1]!;
  const fingerprint = (await page.getByTestId("preview-fingerprint").textContent())!;
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "merged", { timeout: 15_000 });
  const merged = mergedTenantYaml(name);
  expect(merged).toContain("kyvernoBaseline: false");
  expect(merged).toContain('kubernetesVersion: "1.31"');
  expect(merged).toContain(expiresAt);
  expect(mergedFingerprint(name)).toBe(fingerprint);
  // One sandbox per person: give it back for the other journeys.
  await page.goto(`/tenants/${name}`);
  await page.getByRole("button", { name: "Request decommission" }).click();
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "deleted", { timeout: 15_000 });
  await context.close();
});

test("the API submits exactly a preview when given its fingerprint, and refuses anyone else's or a changed one", async ({
  browser,
}) => {
  const dev = await contextAs(browser, "developer");
  const api = dev.page.request;
  const name = uniqueSlug("e2e-api-fp");
  const body = {
    action: "create",
    template: "shared-vcluster",
    team: "payments",
    tenantName: name,
    placement: await placementFor(api, "shared-vcluster"),
    parameters: { size: "M", apiExposure: "internal", argocd: false },
  };
  const res = await api.post("/api/v1/previews", { data: body });
  expect(res.status()).toBe(200);
  const previewed = (await res.json()) as { fingerprint: string; changes: { path: string; content: string }[] };
  expect(previewed.fingerprint).toBe(fingerprintChanges(previewed.changes));

  const changed = await api.post("/api/v1/requests", {
    data: { ...body, parameters: { ...body.parameters, size: "L" }, previewFingerprint: previewed.fingerprint },
  });
  expect(changed.status()).toBe(400);
  expect((await changed.json()).error.fields.previewFingerprint).toContain("differ from your preview");

  // Someone from another team cannot use it (their own rights aside, it is not their preview).
  const newcomer = await contextAs(browser, "newcomer");
  const foreign = await newcomer.page.request.post("/api/v1/requests", {
    data: { ...body, previewFingerprint: previewed.fingerprint },
  });
  expect(foreign.status()).toBe(400);
  expect((await foreign.json()).error.fields).toHaveProperty("previewFingerprint");

  const ok = await api.post("/api/v1/requests", { data: { ...body, previewFingerprint: previewed.fingerprint } });
  expect(ok.status()).toBe(202);
  const { id } = (await ok.json()) as { id: string };
  const detail = await (await api.get(`/api/v1/requests/${id}`)).json();
  expect(detail.previewFingerprint).toBe(previewed.fingerprint);
  expect(detail.changes).toEqual(previewed.changes);

  // Scripts may still submit without a preview.
  const script = await api.post("/api/v1/requests", { data: { ...body, tenantName: `${name}-s` } });
  expect(script.status()).toBe(202);
  const scripted = await (await api.get(`/api/v1/requests/${(await script.json()).id}`)).json();
  expect(scripted.previewFingerprint).toBeNull();
  await dev.context.close();
  await newcomer.context.close();
});

test("a dedicated cluster's node pools (an array of objects) are kept through preview and refused submit, and merged as previewed", async ({
  browser,
}) => {
  const owner = await contextAs(browser, "owner");
  const page = owner.page;
  await page.goto("/catalog/dedicated-onprem");
  const unavailable = await page.getByText("No placement target is configured").count();
  test.skip(
    unavailable > 0,
    "needs a Tanzu placement target (BERTH_PLACEMENTS_FILE, or the demo placements of issue 13)",
  );
  const name = uniqueSlug("e2e-pools");
  const field = (label: string) => page.getByLabel(label, { exact: true });
  await page.getByLabel("Tenant name").fill(name);
  await field("Control plane nodes").selectOption("1");
  await field("Name (1)").fill("workers");
  await field("Nodes (1)").fill("3");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await field("Name (2)").fill("batch");
  await field("Nodes (2)").fill("5");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await field("Name (3)").fill("tmp");
  await field("Nodes (3)").fill("1");
  const vmClasses = await field("VM class (3)").locator("option").allTextContents();
  await field("VM class (3)").selectOption(vmClasses.at(-1)!);
  // Removing the second pool moves the third one up.
  await page.getByRole("button", { name: "Remove Node pools 2" }).click();
  await expect(field("Name (3)")).toHaveCount(0);
  await page.getByLabel(/Purpose/).fill("pools e2e");
  const expectPools = async () => {
    await expect(field("Control plane nodes")).toHaveValue("1");
    await expect(field("Name (1)")).toHaveValue("workers");
    await expect(field("Nodes (1)")).toHaveValue("3");
    await expect(field("Name (2)")).toHaveValue("tmp");
    await expect(field("Nodes (2)")).toHaveValue("1");
    await expect(field("VM class (2)")).toHaveValue(vmClasses.at(-1)!);
    await expect(page.getByLabel(/Purpose/)).toHaveValue("pools e2e");
  };
  await expectPools();
  // A pool name the template refuses: the preview is refused, every row is kept.
  await field("Name (2)").fill("Tmp!");
  await preview(page).click();
  await expect(page.locator("#param-nodePools-1-name-error")).toBeVisible();
  await field("Name (2)").fill("tmp");
  await expectPools();
  await preview(page).click();
  await expect(page.getByTestId("preview-status")).toHaveText("matches the form");
  await expectPools();
  const fingerprint = (await page.getByTestId("preview-fingerprint").textContent())!;
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "pr_open", { timeout: 15_000 });

  const admin = await contextAs(browser, "admin");
  await admin.page.goto("/approvals");
  await admin.page
    .getByRole("region", { name: `create ${name}` })
    .getByRole("button", { name: "Approve and merge" })
    .click();
  await expect(admin.page.getByRole("region", { name: `create ${name}` })).toHaveCount(0);
  const merged = mergedTenantYaml(name);
  expect(merged).toContain("controlPlaneReplicas: 1");
  expect(merged).toMatch(/- name: workers\n\s+vmClass: [^\n]+\n\s+replicas: 3/);
  expect(merged).toMatch(new RegExp(`- name: tmp\\n\\s+vmClass: ${vmClasses.at(-1)}\\n\\s+replicas: 1`));
  expect(merged).not.toContain("batch");
  expect(mergedFingerprint(name)).toBe(fingerprint);
  await owner.context.close();
  await admin.context.close();
});
