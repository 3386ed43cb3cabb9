import { expect, test, type APIRequestContext } from "@playwright/test";
import { contextAs, signIn, uniqueSlug } from "./support";

type Template = { name: string; placements: { value: string }[] };

async function placementFor(api: APIRequestContext, template: string): Promise<string> {
  const res = await api.get("/api/v1/templates");
  expect(res.status()).toBe(200);
  const { templates } = (await res.json()) as { templates: Template[] };
  return templates.find((t) => t.name === template)!.placements[0]!.value;
}

test("without a session the API answers 401 in the error shape", async ({ request }) => {
  const res = await request.get("/api/v1/requests");
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
  expect((await request.post("/api/v1/requests", { data: { action: "decommission", tenant: "x" } })).status()).toBe(
    401,
  );
  // The description itself is public.
  const doc = await request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  expect(await doc.json()).toMatchObject({
    openapi: "3.1.0",
    paths: { "/api/v1/requests": { post: expect.any(Object) } },
  });
});

test("a developer sees the templates their role allows, with schemas and placements", async ({ page }) => {
  await signIn(page, "developer");
  const res = await page.request.get("/api/v1/templates");
  expect(res.status()).toBe(200);
  const { templates } = (await res.json()) as {
    templates: (Template & { teams: string[]; parameters: { properties: object } })[];
  };
  const names = templates.map((t) => t.name);
  expect(names).toContain("shared-vcluster");
  // Dedicated clusters need the owner role.
  expect(names).not.toContain("dedicated-aks");
  const vcluster = templates.find((t) => t.name === "shared-vcluster")!;
  expect(vcluster.teams).toEqual(["payments"]);
  expect(vcluster.parameters.properties).toHaveProperty("size");
  expect(vcluster.placements.length).toBeGreaterThan(0);
});

test("bad input is refused with field errors from the same validation as the form", async ({ page }) => {
  await signIn(page, "developer");
  const placement = await placementFor(page.request, "shared-vcluster");
  const bad = await page.request.post("/api/v1/requests", {
    data: {
      action: "create",
      template: "shared-vcluster",
      team: "payments",
      tenantName: "Bad Name",
      placement,
      parameters: { size: "XXL" },
    },
  });
  expect(bad.status()).toBe(400);
  const body = await bad.json();
  expect(body.error.code).toBe("validation_failed");
  expect(body.error.fields.tenantName).toContain("Use lowercase letters");
  expect(body.error.fields["param.size"]).toContain("Choose one of");

  // A JSON type error names the parameter too.
  const typed = await page.request.post("/api/v1/requests", {
    data: {
      action: "create",
      template: "shared-vcluster",
      team: "payments",
      tenantName: uniqueSlug("api-typed"),
      placement,
      parameters: { size: 5, argocd: "yes" },
    },
  });
  expect(typed.status()).toBe(400);
  expect((await typed.json()).error.fields).toMatchObject({
    "param.size": expect.any(String),
    "param.argocd": "Must be a boolean.",
  });

  // Another team: the same answer as in the form.
  const foreign = await page.request.post("/api/v1/requests", {
    data: {
      action: "create",
      template: "shared-vcluster",
      team: "platform-internal",
      tenantName: uniqueSlug("api-foreign"),
      placement,
      parameters: {},
    },
  });
  expect(foreign.status()).toBe(400);
  expect((await foreign.json()).error.fields.team).toContain("You cannot request Shared vCluster");

  const notJson = await page.request.post("/api/v1/requests", {
    headers: { "content-type": "application/json" },
    data: Buffer.from("{nope"),
  });
  expect(notJson.status()).toBe(400);
  expect((await notJson.json()).error).toMatchObject({ code: "invalid_json", fields: { body: expect.any(String) } });

  for (const id of ["not-a-uuid", "-".repeat(36), "00000000-0000-4000-8000-000000000000"]) {
    expect((await page.request.get(`/api/v1/requests/${id}`)).status()).toBe(404);
  }

  const badFilter = await page.request.get("/api/v1/requests?state=bogus&limit=0");
  expect(badFilter.status()).toBe(400);
  expect(Object.keys((await badFilter.json()).error.fields).sort()).toEqual(["limit", "state"]);
});

test("submit → pull request → approve → merged, with every refusal along the way", async ({ page, browser }) => {
  await signIn(page, "developer");
  const dev = page.request;
  const placement = await placementFor(dev, "shared-vcluster");
  const tenantName = uniqueSlug("api-e2e");
  const created = await dev.post("/api/v1/requests", {
    data: {
      action: "create",
      template: "shared-vcluster",
      team: "payments",
      tenantName,
      placement,
      parameters: { size: "S", argocd: false, purpose: "api e2e" },
    },
  });
  expect(created.status()).toBe(202);
  const accepted = await created.json();
  expect(accepted).toMatchObject({
    id: expect.any(String),
    tenant: tenantName,
    state: "submitted",
    links: { self: `/api/v1/requests/${accepted.id}` },
  });
  expect(created.headers().location).toBe(accepted.links.self);
  const url = accepted.links.self as string;

  // The job opens the pull request on the local Git repository shortly after.
  await expect.poll(async () => (await (await dev.get(url)).json()).state, { timeout: 20_000 }).toBe("pr_open");
  const detail = await (await dev.get(url)).json();
  expect(detail).toMatchObject({
    tenant: tenantName,
    team: "payments",
    action: "create",
    parameters: { size: "S", argocd: false },
    prNumber: expect.any(Number),
  });
  expect(detail.timeline.map((t: { to: string }) => t.to)).toEqual(["submitted", "pr_open"]);
  expect(detail.changes.map((c: { path: string }) => c.path)).toContain(`tenants/${tenantName}/tenant.yaml`);
  const listed = await (await dev.get("/api/v1/requests?state=pr_open&team=payments")).json();
  expect(listed.requests.map((r: { id: string }) => r.id)).toContain(accepted.id);

  // Someone outside the team cannot see it, nor learn that it exists by acting on it.
  const newcomer = await contextAs(browser, "newcomer");
  expect((await newcomer.page.request.get(url)).status()).toBe(404);
  const foreignCancel = await newcomer.page.request.post(`${url}/cancel`);
  expect(foreignCancel.status()).toBe(404);
  expect((await newcomer.page.request.get("/api/v1/requests")).status()).toBe(200);
  expect(
    (await (await newcomer.page.request.get("/api/v1/requests")).json()).requests.map((r: { id: string }) => r.id),
  ).not.toContain(accepted.id);
  await newcomer.context.close();

  // The developer may see it but not approve it.
  const devApprove = await dev.post(`${url}/approve`, { data: {} });
  expect(devApprove.status()).toBe(403);
  expect((await devApprove.json()).error.code).toBe("forbidden");

  const admin = await contextAs(browser, "admin");
  const approved = await admin.page.request.post(`${url}/approve`, { data: { comment: "looks good" } });
  expect(approved.status()).toBe(200);
  expect(await approved.json()).toMatchObject({ id: accepted.id, state: "merged" });
  expect((await (await dev.get(url)).json()).state).toBe("merged");

  // A second approval is a conflict, not a second merge; so is cancelling a merged request.
  const again = await admin.page.request.post(`${url}/approve`);
  expect(again.status()).toBe(409);
  expect((await again.json()).error.code).toBe("conflict");
  expect((await dev.post(`${url}/cancel`)).status()).toBe(409);
  await admin.context.close();

  // Update: parameters left out keep their current values; the requester can withdraw it.
  const update = await dev.post("/api/v1/requests", {
    data: { action: "update", tenant: tenantName, parameters: { size: "M" } },
  });
  expect(update.status()).toBe(202);
  const updateUrl = (await update.json()).links.self as string;
  expect(await (await dev.get(updateUrl)).json()).toMatchObject({
    action: "update",
    parameters: { size: "M", argocd: false, purpose: "api e2e" },
  });
  const cancelled = await dev.post(`${updateUrl}/cancel`);
  expect(cancelled.status()).toBe(200);
  expect((await cancelled.json()).state).toBe("cancelled");

  // Decommissioning needs the team's owner role, as in the UI.
  const devDecommission = await dev.post("/api/v1/requests", { data: { action: "decommission", tenant: tenantName } });
  expect(devDecommission.status()).toBe(400);
  expect((await devDecommission.json()).error.fields.tenant).toContain("No active tenant");
  const owner = await contextAs(browser, "owner");
  const decommission = await owner.page.request.post("/api/v1/requests", {
    data: { action: "decommission", tenant: tenantName, reason: "api e2e done" },
  });
  expect(decommission.status()).toBe(202);
  await owner.context.close();
});

test("an admin rejects with a reason; a missing reason is a field error", async ({ page, browser }) => {
  await signIn(page, "developer");
  const placement = await placementFor(page.request, "shared-vcluster");
  const created = await page.request.post("/api/v1/requests", {
    data: {
      action: "create",
      template: "shared-vcluster",
      team: "payments",
      tenantName: uniqueSlug("api-reject"),
      placement,
    },
  });
  expect(created.status()).toBe(202);
  const url = (await created.json()).links.self as string;
  await expect
    .poll(async () => (await (await page.request.get(url)).json()).state, { timeout: 20_000 })
    .toBe("pr_open");
  const admin = await contextAs(browser, "admin");
  const noReason = await admin.page.request.post(`${url}/reject`, { data: { reason: " " } });
  expect(noReason.status()).toBe(400);
  expect((await noReason.json()).error.fields.reason).toContain("reason");
  const rejected = await admin.page.request.post(`${url}/reject`, {
    data: { reason: "use the existing staging tenant" },
  });
  expect(rejected.status()).toBe(200);
  expect((await rejected.json()).state).toBe("rejected");
  const detail = await (await page.request.get(url)).json();
  expect(detail.timeline.at(-1)).toMatchObject({ to: "rejected", reason: "use the existing staging tenant" });
  await admin.context.close();
});
