import { expect, test } from "@playwright/test";
import { contextAs, uniqueSlug } from "./support";

test.describe("a developer is refused what belongs to admins and other teams", () => {
  for (const path of ["/teams/new", "/approvals", "/fleet"]) {
    test(`direct URL ${path} answers 403`, async ({ browser }) => {
      const { page, context } = await contextAs(browser, "developer");
      const res = await page.goto(path);
      expect(res?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
      await context.close();
    });
  }

  test("admin server actions called with a developer's session are refused and write nothing", async ({ browser }) => {
    const admin = await contextAs(browser, "admin");
    const dev = await contextAs(browser, "developer");
    const slug = uniqueSlug("e2e-forged");
    // The admin's form page, but the developer's session cookie: exactly what a forged call sends.
    await admin.page.goto("/teams/new");
    await admin.context.clearCookies();
    await admin.context.addCookies(await dev.context.cookies());
    await admin.page.getByLabel("Team name").fill(slug);
    await admin.page.getByLabel("Display name").fill("Forged");
    await admin.page.getByRole("button", { name: "Create team" }).click();
    await expect(admin.page.getByText("Only platform admins can do this.")).toBeVisible();

    const check = await contextAs(browser, "admin");
    const res = await check.page.goto(`/teams/${slug}`);
    expect(res?.status()).toBe(404);
    await check.page.goto(`/audit?team=${slug}`);
    await expect(check.page.getByText("No audit events match")).toBeVisible();

    // Same for mapping a group onto payments from the team page.
    await admin.context.clearCookies();
    await admin.context.addCookies(await check.context.cookies());
    await admin.page.goto("/teams/payments");
    await admin.context.clearCookies();
    await admin.context.addCookies(await dev.context.cookies());
    await admin.page.getByLabel("Directory group", { exact: true }).fill("berth-forged-group");
    await admin.page.getByRole("button", { name: "Map group" }).click();
    await expect(admin.page.getByText("Only platform admins can do this.")).toBeVisible();
    await check.page.goto("/teams/payments");
    await expect(check.page.getByTestId("team-groups")).not.toContainText("berth-forged-group");
    for (const c of [admin, dev, check]) await c.context.close();
  });

  test("another team's page is invisible to a member", async ({ browser }) => {
    const admin = await contextAs(browser, "admin");
    const slug = uniqueSlug("e2e-other");
    await admin.page.goto("/teams/new");
    await admin.page.getByLabel("Team name").fill(slug);
    await admin.page.getByLabel("Display name").fill("Other team");
    await admin.page.getByRole("button", { name: "Create team" }).click();
    await expect(admin.page).toHaveURL(new RegExp(`/teams/${slug}`));

    const dev = await contextAs(browser, "developer");
    const res = await dev.page.goto(`/teams/${slug}`);
    expect(res?.status()).toBe(404);
    await dev.page.goto("/teams");
    await expect(dev.page.getByRole("main")).not.toContainText(slug);
    await expect(dev.page.getByRole("main")).toContainText("Payments");
    await admin.context.close();
    await dev.context.close();
  });
});
