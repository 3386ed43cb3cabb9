import { existsSync, readFileSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { LIVE_ARGOCD_NAMESPACE } from "./e2e/support";
import type { TestEnv } from "./scripts/testenv/types";

const port = Number(process.env.BERTH_E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${port}`;
// A second Berth, connected to the test environment's kube-apiserver, for the live-status journey.
const livePort = port + 100;
const liveURL = `http://localhost:${livePort}`;
const testEnvFile = process.env.BERTH_TESTENV_FILE;
const kubeconfig =
  testEnvFile && existsSync(testEnvFile)
    ? (JSON.parse(readFileSync(testEnvFile, "utf8")) as TestEnv).kubernetes.kubeconfig
    : undefined;

const serverEnv = (p: number, url: string, dataDir: string, pgPort: number): Record<string, string> => ({
  NODE_ENV: "production",
  BERTH_ALLOW_DEV_OIDC: "true",
  PORT: String(p),
  BERTH_URL: url,
  BERTH_DATA_DIR: dataDir,
  BERTH_EMBEDDED_PG_PORT: String(pgPort),
  BERTH_LOG_LEVEL: "warn",
});

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
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "default", testIgnore: /live-status/ },
    { name: "live", testMatch: /live-status/, use: { baseURL: liveURL } },
  ],
  webServer: [
    {
      command: "node_modules/.bin/tsx server.ts",
      url: `${baseURL}/api/health/ready`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: process.env.BERTH_E2E_SERVER_LOG ? "pipe" : "ignore",
      stderr: "pipe",
      env: serverEnv(port, baseURL, ".data/e2e", Number(process.env.BERTH_E2E_PG_PORT ?? 54349)),
    },
    ...(kubeconfig
      ? [
          {
            command: "node_modules/.bin/tsx server.ts",
            url: `${liveURL}/api/health/ready`,
            timeout: 120_000,
            reuseExistingServer: false,
            stdout: process.env.BERTH_E2E_SERVER_LOG ? ("pipe" as const) : ("ignore" as const),
            stderr: "pipe" as const,
            env: {
              ...serverEnv(livePort, liveURL, ".data/e2e-live", Number(process.env.BERTH_E2E_LIVE_PG_PORT ?? 54379)),
              BERTH_KUBECONFIG: kubeconfig,
              BERTH_ARGOCD_NAMESPACE: LIVE_ARGOCD_NAMESPACE,
              BERTH_STATUS_STALE_SECONDS: "600",
            },
          },
        ]
      : []),
  ],
});
