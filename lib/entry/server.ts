// Berth's process (started by server.ts): validates config, prepares the database, mounts the dev
// OIDC provider, starts the jobs and the status reader, serves Next.
import { createServer } from "node:http";
import { hostname } from "node:os";
import { startClusterStatus } from "@/lib/cluster/start";
import { setClusterHandle } from "@/lib/status/runtime";
import next from "next";
import { closeDb, getDb } from "@/lib/db";
import { createDevOidcProvider } from "@/lib/auth/dev-oidc/provider";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { getLogger } from "@/lib/log";
import { boot, StartupError } from "@/lib/entry/boot";
import { getRuntime } from "@/lib/config";
import { startQueue, stopQueue } from "@/lib/jobs/queue";
import { startWorkers } from "@/lib/entry/workers";
import { getForgeContext } from "@/lib/entry/forge-context";
import { readGitTemplatesFrom } from "@/lib/templates/catalog";
import { gitOpsTemplateSource } from "@/lib/templates/git-source";

/** Boots Berth and serves it until SIGINT/SIGTERM; exits the process on a startup failure. */
export async function serve(): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof StartupError) {
      console.error(`\nBerth did not start:\n${err.message}\n`);
    } else {
      console.error("Berth did not start:", err);
    }
    process.exit(1);
  }
}

async function main() {
  const dev = process.argv.includes("--dev");
  const { config, stopDatabase } = await boot();
  const log = getLogger();
  const p = config.auth.provider;
  const devOidc =
    p.kind === "dev"
      ? createDevOidcProvider({
          issuer: p.issuer,
          clientId: p.clientId,
          clientSecret: p.clientSecret,
          redirectUris: [`${config.baseUrl}/api/auth/callback/dev`],
          cookieSecret: getRuntime().authSecret,
        })
      : null;
  // Jobs run in every replica; pg-boss hands each job to exactly one of them.
  await startWorkers(await startQueue(getRuntime().databaseUrl), getForgeContext);
  // Platform teams' templates/ in the GitOps repository join the built-ins.
  readGitTemplatesFrom(gitOpsTemplateSource(getForgeContext().provider));
  // Live status: replicas compete for a Lease; the holder watches the management cluster.
  const cluster = startClusterStatus({ config, db: getDb(), log, identity: `${hostname()}-${process.pid}` });
  setClusterHandle(cluster);
  if (!cluster) log.info("no management cluster configured (BERTH_KUBECONFIG): live status is off");
  const app = next({ dev, dir: process.cwd(), hostname: config.host, port: config.port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    // Overwrite whatever the client sent: this header is how pages learn the socket's address.
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "";
    if (devOidc && (req.url === "/oidc" || req.url?.startsWith("/oidc/"))) return devOidc(req, res);
    void handle(req, res);
  });
  server.listen(config.port, config.host, () => {
    log.info(
      {
        url: config.baseUrl,
        listen: `${config.host}:${config.port}`,
        auth: p.kind,
        mode: dev ? "development" : "production",
      },
      "Berth is up",
    );
  });
  server.on("error", (err) => {
    log.fatal({ err: err.message }, "cannot listen");
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    server.close();
    await cluster?.stop().catch(() => undefined);
    await stopQueue().catch(() => undefined);
    await closeDb().catch(() => undefined);
    await stopDatabase().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}
