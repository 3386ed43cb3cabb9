import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("a developer configures a shared vCluster and previews the exact manifests", async ({ page }) => {
  await signIn(page, "developer");
  await page.getByRole("link", { name: "Catalog" }).click();
  const catalog = page.getByTestId("catalog");
  await expect(catalog).toContainText("Shared vCluster");
  await expect(catalog).toContainText("Sandbox");
  // Dedicated clusters need the owner role.
  await expect(catalog).not.toContainText("Dedicated cluster");
  await catalog
    .getByRole("listitem")
    .filter({ hasText: "Shared vCluster" })
    .getByRole("link", { name: "Configure" })
    .click();

  // Bad input: every field error is shown next to its field, nothing rendered.
  await page.getByLabel("Tenant name").fill("Payments Staging");
  // The browser enforces maxlength; a crafted request does not, and the server must refuse it.
  await page.getByLabel("Purpose (optional)").evaluate((el) => el.removeAttribute("maxlength"));
  await page.getByLabel("Purpose (optional)").fill(`${"x".repeat(200)}y`);
  await page.getByRole("button", { name: "Preview manifests" }).click();
  await expect(page.locator("#tenantName-error")).toContainText("Use lowercase letters");
  await expect(page.locator("#param-purpose-error")).toContainText("Use at most 200 characters.");
  await expect(page.getByTestId("preview")).toHaveCount(0);

  await page.getByLabel("Tenant name").fill("payments-staging");
  await page.getByLabel("Purpose (optional)").fill("staging for payments");
  await page.getByLabel("Size").selectOption("M");
  await page.getByRole("button", { name: "Preview manifests" }).click();
  const preview = page.getByTestId("preview");
  await expect(preview).toContainText("tenants/payments-staging/tenant.yaml");
  await expect(preview).toContainText("tenants/payments-staging/vcluster.yaml");
  await expect(preview).toContainText("template: shared-vcluster@1.0.0");
  await expect(preview).toContainText("berth.io/team: payments");
  // The form keeps what was typed.
  await expect(page.getByLabel("Tenant name")).toHaveValue("payments-staging");
});

test("a developer cannot preview for another team, even by editing the form", async ({ page }) => {
  await signIn(page, "developer");
  await page.goto("/catalog/shared-vcluster");
  await page.getByLabel("Tenant name").fill("sneaky");
  await page.evaluate(() => {
    const select = document.querySelector<HTMLSelectElement>("select[name=team]")!;
    select.add(new Option("platform-internal", "platform-internal", true, true));
  });
  await page.getByRole("button", { name: "Preview manifests" }).click();
  await expect(page.locator("#team-error")).toContainText(
    'You cannot request Shared vCluster for team "platform-internal".',
  );
  await expect(page.getByTestId("preview")).toHaveCount(0);
});

test("the template admin page lists every version with its source; developers are refused", async ({
  page,
  browser,
}) => {
  await signIn(page, "admin");
  await page.getByRole("link", { name: "Templates" }).click();
  const table = page.getByTestId("templates-table");
  for (const name of ["sandbox", "shared-vcluster", "dedicated-onprem", "dedicated-aks"])
    await expect(table).toContainText(name);
  await expect(table).toContainText("built in");
  const dev = await browser.newContext();
  const devPage = await dev.newPage();
  await signIn(devPage, "developer");
  expect((await devPage.goto("/templates"))?.status()).toBe(403);
  await dev.close();
});
