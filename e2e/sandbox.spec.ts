import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("a newcomer gets a sandbox in one click, sees its expiry, extends it and destroys it", async ({ page }) => {
  await signIn(page, "newcomer");
  const card = page.getByTestId("sandbox-card");
  await card.getByRole("button", { name: "Get a sandbox" }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "merged", { timeout: 15_000 });
  await expect(page.getByTestId("timeline")).toContainText("approved automatically by template policy");

  await page.goto("/");
  const link = page.getByTestId("sandbox-card").getByRole("link");
  await expect(link).toHaveText(/^sbx-nora-newcomer-[0-9a-f]{4}$/);
  await expect(page.getByTestId("sandbox-card").getByTestId("countdown")).toContainText(/6 d 23 h left|7 d 0 h left/);
  // One per person: the button is gone.
  await expect(page.getByRole("button", { name: "Get a sandbox" })).toHaveCount(0);
  await link.click();

  await expect(page.getByTestId("access-panel")).toContainText("Argo CD");
  await expect(page.getByTestId("first-steps")).toBeVisible();
  const download = await page.request.get(
    `${page.url().replace(/\/tenants\/.*/, "")}/api/tenants/${await page.getByRole("heading", { level: 1 }).textContent()}/kubeconfig`,
  );
  expect(download.status()).toBe(200);
  const kubeconfig = await download.text();
  expect(kubeconfig).toContain("oidc-login");
  expect(kubeconfig).not.toMatch(/client-key-data|token:|password/);

  await page
    .getByRole("form", { name: /Extend/ })
    .getByRole("button", { name: "Extend" })
    .click();
  await expect(page.getByText(/Extended until/)).toBeVisible();
  await expect(page.getByTestId("countdown").first()).toContainText(/7 d 23 h left|8 d 0 h left/, { timeout: 15_000 });

  await page.getByRole("button", { name: "Request decommission" }).click();
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "deleted", { timeout: 15_000 });
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Get a sandbox" })).toBeVisible();
});

test("the sandbox admin page is for platform admins only", async ({ page, browser }) => {
  await signIn(page, "admin");
  await page.getByRole("link", { name: "Sandboxes" }).click();
  await expect(page.getByRole("heading", { name: "Sandboxes" })).toBeVisible();
  const ctx = await browser.newContext();
  const dev = await ctx.newPage();
  await signIn(dev, "developer");
  expect((await dev.goto("/sandboxes"))?.status()).toBe(403);
  await ctx.close();
});
