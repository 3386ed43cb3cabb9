import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test.describe("sign-in through the development OIDC provider", () => {
  test("the newcomer signs in and has no team yet", async ({ page }) => {
    await signIn(page, "newcomer");
    await expect(page.getByTestId("viewer-name")).toHaveText("Nora Newcomer");
    await expect(page.getByTestId("no-teams")).toBeVisible();
    await expect(page.getByRole("link", { name: "Approvals" })).toHaveCount(0);
  });

  test("the developer lands in team payments as a member", async ({ page }) => {
    await signIn(page, "developer");
    await expect(page.getByTestId("my-teams")).toContainText("Payments");
    await expect(page.getByTestId("my-teams")).toContainText("member");
    await expect(page.getByRole("link", { name: "Fleet" })).toHaveCount(0);
  });

  test("the team owner is owner of payments", async ({ page }) => {
    await signIn(page, "owner");
    await expect(page.getByTestId("my-teams")).toContainText("owner");
  });

  test("the platform admin sees the admin pages and can sign out", async ({ page }) => {
    await signIn(page, "admin");
    await expect(page.getByText("platform admin")).toBeVisible();
    await page.getByRole("link", { name: "Approvals" }).click();
    await expect(page.getByRole("heading", { name: "Approvals" })).toBeVisible();
    await page.getByRole("link", { name: "Fleet" }).click();
    await expect(page.getByText("No management cluster connected")).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await page.goto("/teams");
    await expect(page).toHaveURL(/\/auth\/signin\?callbackUrl=%2Fteams/);
  });

  test("denied consent ends on a page that says so", async ({ page }) => {
    await page.goto("/auth/signin");
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.getByRole("button", { name: "Deny access" }).click();
    await expect(page).toHaveURL(/\/auth\/error\?error=AccessDenied/);
    await expect(page.getByRole("heading", { name: "Sign-in was denied" })).toBeVisible();
  });

  test("an expired sign-in state ends on a page that says so", async ({ page, context }) => {
    await page.goto("/auth/signin");
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page.getByTestId("demo-user-developer")).toBeVisible();
    // Berth's state/PKCE cookies expire (or belong to another tab): drop them before returning.
    const berthCookies = (await context.cookies()).filter(
      (c) => c.name.startsWith("authjs.") && c.name !== "authjs.callback-url",
    );
    expect(berthCookies.length).toBeGreaterThan(0);
    await context.clearCookies({ name: /authjs\.(state|pkce|nonce)/ });
    await page.getByTestId("demo-user-developer").click();
    await expect(page).toHaveURL(/\/auth\/error\?error=StateExpired/);
    await expect(page.getByRole("heading", { name: "The sign-in expired" })).toBeVisible();
  });
});

test("a token without the groups claim ends on a page that says so", async ({ page }) => {
  await page.goto("/auth/signin");
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.getByTestId("demo-user-no-groups").click();
  await expect(page).toHaveURL(/\/auth\/error\?error=MissingGroups/);
  await expect(page.getByRole("heading", { name: "Your groups were not sent" })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/auth\/signin/);
});
