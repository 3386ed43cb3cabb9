import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";

// Runs the real server entry point with a bad environment and checks it stops with a clear message.
function startBerth(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("node_modules/.bin/tsx", ["server.ts"], {
      // Only what the test sets: nothing leaks in from the developer's shell.
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "development", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe("start-up", () => {
  it("stops with the variable named when a setting is wrong", async () => {
    const r = await startBerth({ PORT: "eighty", NODE_ENV: "production" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("PORT: expected a port number");
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("stops with a clear message when the database is down", async () => {
    const port = await closedPort();
    const r = await startBerth({
      DATABASE_URL: `postgres://berth:s3cret@127.0.0.1:${port}/berth`,
      NODE_ENV: "development",
      PORT: String(await closedPort()),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach PostgreSQL at postgres://berth:***@127.0.0.1:${port}/berth`);
    expect(r.stderr).not.toContain("s3cret");
  }, 60_000);
});
