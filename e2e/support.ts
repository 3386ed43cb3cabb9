import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

export type DemoUser = "newcomer" | "developer" | "owner" | "admin";

/**
 * Where the live-status journey's Berth reads Applications: not the test environment's `argocd`
 * namespace, whose real application-controller would overwrite the status the journey writes
 * (that Berth commits to a local repository Argo CD cannot clone).
 */
export const LIVE_ARGOCD_NAMESPACE = "e2e-live-argocd";

/** Signs in through the real OIDC flow: Berth → development provider → pick user → callback. */
export async function signIn(page: Page, user: DemoUser): Promise<void> {
  await page.goto("/auth/signin");
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.getByTestId(`demo-user-${user}`).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByTestId("viewer-name")).toBeVisible();
}

export async function contextAs(browser: Browser, user: DemoUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  return { context, page };
}

/** A name no other run has used, so tests never depend on leftovers. */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.slice(0, 32);
}
