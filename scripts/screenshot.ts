// Takes the README screenshot of the signed-in home page from a running Berth (default http://localhost:3000).
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://localhost:3000";
const out = process.argv[3] ?? "docs/home.png";
const user = process.argv[4] ?? "owner";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.goto(`${base}/auth/signin`);
await page.getByRole("button", { name: /sign in/i }).click();
await page.getByTestId(`demo-user-${user}`).click();
await page.waitForURL((u) => u.pathname === "/");
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`wrote ${out}`);
