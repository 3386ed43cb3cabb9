import { defineConfig } from "@playwright/test";

const port = Number(process.env.BERTH_E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${port}`;

// Berth as a user runs it (production build, embedded PostgreSQL, development sign-in) with its
// own data folder, driven through Debian's Chromium.
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.BERTH_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: "node_modules/.bin/tsx server.ts",
    url: `${baseURL}/api/health/ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: process.env.BERTH_E2E_SERVER_LOG ? "pipe" : "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      BERTH_ALLOW_DEV_OIDC: "true",
      PORT: String(port),
      BERTH_URL: baseURL,
      BERTH_DATA_DIR: ".data/e2e",
      BERTH_EMBEDDED_PG_PORT: String(Number(process.env.BERTH_E2E_PG_PORT ?? 54349)),
      BERTH_LOG_LEVEL: "warn",
    },
  },
});
