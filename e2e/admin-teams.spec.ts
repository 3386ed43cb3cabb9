import { expect, test } from "@playwright/test";
import { signIn, uniqueSlug } from "./support";

test("an admin creates a team, maps a group, and the audit page shows both", async ({ page }) => {
  await signIn(page, "admin");
  const slug = uniqueSlug("e2e-team");
  await page.goto("/teams/new");

  // Bad input first: field errors next to the fields, nothing created.
  await page.getByLabel("Team name").fill("Not A Valid Name");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByText("Use lowercase letters, digits and hyphens")).toBeVisible();
  await expect(page.getByLabel("Team name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a display name.")).toBeVisible();

  await page.getByLabel("Team name").fill(slug);
  await page.getByLabel("Display name").fill("E2E Team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}\\?created=1`));
  await expect(page.getByRole("heading", { name: "E2E Team" })).toBeVisible();

  // Duplicate team: refused with the field named.
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(slug);
  await page.getByLabel("Display name").fill("Again");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByText(`A team named "${slug}" already exists.`)).toBeVisible();

  // Malformed group, then a good one.
  await page.goto(`/teams/${slug}`);
  await page.getByLabel("Directory group", { exact: true }).fill("team-without-prefix");
  await page.getByRole("button", { name: "Map group" }).click();
  await expect(page.getByText('Must start with the configured group prefix "berth-"')).toBeVisible();
  await page.getByLabel("Directory group", { exact: true }).fill(`berth-${slug}`);
  await page.getByLabel("Role").selectOption("owner");
  await page.getByRole("button", { name: "Map group" }).click();
  await expect(page.getByTestId("team-groups")).toContainText(`berth-${slug}`);
  await expect(page.getByTestId("team-groups")).toContainText("owner");

  await page.goto(`/audit?team=${slug}`);
  const table = page.getByTestId("audit-table");
  await expect(table).toContainText("team.created");
  await expect(table).toContainText("team.group_mapped");
  await expect(table).toContainText("ada.admin@example.test");
  await expect(table).toContainText("127.0.0.1");
  await page.goto(`/audit?team=${slug}&action=team.group_mapped`);
  await expect(page.getByTestId("audit-table").locator("tbody tr")).toHaveCount(1);
});
