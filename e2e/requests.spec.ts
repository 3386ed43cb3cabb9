import { expect, test } from "@playwright/test";
import { contextAs, signIn, uniqueSlug } from "./support";

test("a developer requests a shared vCluster and follows it; an admin approves it from the inbox", async ({
  browser,
}) => {
  const dev = await contextAs(browser, "developer");
  const name = uniqueSlug("e2e-vc");
  await dev.page.goto("/catalog/shared-vcluster");
  await dev.page.getByLabel("Tenant name").fill(name);
  await dev.page.getByLabel("Size").selectOption("M");
  // Submitting needs a preview of exactly these values.
  await expect(dev.page.getByRole("button", { name: "Submit request" })).toBeDisabled();
  await dev.page.getByRole("button", { name: "Preview manifests" }).click();
  await dev.page.getByRole("button", { name: "Submit request" }).click();
  await expect(dev.page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const requestUrl = dev.page.url();
  // Submitted → the job opens the pull request → awaiting approval, without a reload.
  await expect(dev.page.locator("[data-state]").first()).toHaveAttribute("data-state", "pr_open", { timeout: 15_000 });
  await expect(dev.page.getByTestId("pr-link")).toHaveText(/#\d+ on the GitOps repository/);
  await expect(dev.page.getByTestId("timeline")).toContainText("Submitted");
  await expect(dev.page.getByTestId("timeline")).toContainText("Awaiting approval");
  await expect(dev.page.getByTestId("diff")).toContainText(`tenants/${name}/vcluster.yaml`);
  // The developer cannot approve.
  await expect(dev.page.getByRole("button", { name: "Approve and merge" })).toHaveCount(0);

  const admin = await contextAs(browser, "admin");
  await admin.page.goto("/approvals");
  const card = admin.page.getByRole("region", { name: `create ${name}` });
  await expect(card).toContainText(`tenants/${name}/quota.yaml`);
  await card.getByLabel("Comment (optional)").fill("looks good");
  await card.getByRole("button", { name: "Approve and merge" }).click();
  await expect(admin.page.getByRole("region", { name: `create ${name}` })).toHaveCount(0);

  await dev.page.goto(requestUrl);
  await expect(dev.page.locator("[data-state]").first()).toHaveAttribute("data-state", "merged");
  await expect(dev.page.getByTestId("timeline")).toContainText("Merged");
  await dev.page.goto("/");
  await expect(dev.page.getByTestId("my-tenants")).toContainText(name);
  await dev.page.goto(`/tenants/${name}`);
  await expect(dev.page.getByRole("heading", { name })).toBeVisible();
  // A member may change but not decommission.
  await expect(dev.page.getByRole("button", { name: "Request change" })).toBeVisible();
  await expect(dev.page.getByRole("button", { name: "Request decommission" })).toHaveCount(0);
  // Preview of a change shows its diff against the files in Git.
  await dev.page.getByLabel("Size").selectOption("L");
  await dev.page.getByRole("button", { name: "Preview manifests" }).click();
  const changes = dev.page.getByRole("region", { name: "Changes compared with the tenant's files in Git" });
  await expect(changes).toContainText(`tenants/${name}/quota.yaml`);
  await expect(changes).toContainText("modified");
  // Every object's request label names the request that last changed it, so all files change;
  // the quota is where the size shows.
  await expect(changes).toContainText('added: requests.cpu: "8"');
  await expect(changes).toContainText('removed: requests.cpu: "4"');
  await dev.context.close();
  await admin.context.close();
});

test("a sandbox is approved automatically, still through a pull request", async ({ page }) => {
  await signIn(page, "owner");
  const name = uniqueSlug("e2e-sbx");
  await page.goto("/catalog/sandbox");
  await page.getByLabel("Tenant name").fill(name);
  await page.getByRole("button", { name: "Preview manifests" }).click();
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "merged", { timeout: 15_000 });
  await expect(page.getByTestId("timeline")).toContainText("approved automatically by template policy");
  await page.getByTestId("pr-link").click();
  await expect(page.getByTestId("pr-state")).toHaveText("merged");
  // Its owner destroys it: a decommission pull request, also approved by policy.
  await page.goto(`/tenants/${name}`);
  await page.getByRole("button", { name: "Request decommission" }).click();
  await expect(page).toHaveURL(/\/requests\//);
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "deleted", { timeout: 15_000 });
});

test("another team's request is invisible and cannot be cancelled by forging the form", async ({ browser }) => {
  const owner = await contextAs(browser, "owner");
  const name = uniqueSlug("e2e-priv");
  await owner.page.goto("/catalog/shared-vcluster");
  await owner.page.getByLabel("Tenant name").fill(name);
  await owner.page.getByRole("button", { name: "Preview manifests" }).click();
  await owner.page.getByRole("button", { name: "Submit request" }).click();
  await expect(owner.page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const url = owner.page.url();
  await expect(owner.page.getByRole("button", { name: "Cancel request" })).toBeVisible();

  const newcomer = await contextAs(browser, "newcomer");
  expect((await newcomer.page.goto(url))?.status()).toBe(404);
  // Forged: the owner's cancel form submitted with the newcomer's session.
  await owner.context.clearCookies();
  await owner.context.addCookies(await newcomer.context.cookies());
  await owner.page.getByRole("button", { name: "Cancel request" }).click();
  await expect(owner.page.getByText("Only the requester or a platform admin can cancel a request.")).toBeVisible();
  await owner.context.close();
  await newcomer.context.close();
});
