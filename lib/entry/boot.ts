import "server-only";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ConfigError, getConfig, setRuntime, type Config } from "@/lib/config";
import { getDb, getPool } from "@/lib/db";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { getLogger, redactUrl } from "@/lib/log";
import { readOrCreateSecretFile } from "@/lib/config/secret-file";
import { ensureLocalRepository } from "@/lib/gitops/local/repository";
import { seedDemoTeam } from "@/lib/teams/seed-demo";
import { ensureSandboxTeam } from "@/lib/sandboxes/team";

export class StartupError extends Error {}

export type Booted = { config: Config; stopDatabase: () => Promise<void> };

async function waitForDatabase(url: string, attempts = 5): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await getPool().query("SELECT 1");
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 500 * 2 ** i));
    }
  }
  throw new StartupError(
    `cannot reach PostgreSQL at ${redactUrl(url)}: ${(last as Error)?.message ?? "unknown error"}`,
  );
}

/** Everything before serving: config, database (embedded or DATABASE_URL), migrations, demo seed. */
export async function boot(): Promise<Booted> {
  let config: Config;
  try {
    config = getConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new StartupError(err.message);
    throw err;
  }
  const log = getLogger();
  if (config.auth.provider.kind === "dev" && config.env === "production") {
    log.warn(
      "DEVELOPMENT OIDC PROVIDER ENABLED IN PRODUCTION MODE: anyone reaching Berth can sign in as a demo " +
        "user, including a platform admin. Set BERTH_AUTH_PROVIDER=entra or oidc for real use.",
    );
  }
  let databaseUrl = config.database.url;
  let stopDatabase: () => Promise<void> = async () => {};
  if (!databaseUrl) {
    log.info(
      { dataDir: config.dataDir, port: config.database.embeddedPort },
      "DATABASE_URL unset: starting embedded PostgreSQL",
    );
    try {
      const embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.database.embeddedPort,
        onLog: (l) => log.debug({ postgres: l.trim() }),
      });
      databaseUrl = embedded.url;
      stopDatabase = embedded.stop;
    } catch (err) {
      throw new StartupError((err as Error).message);
    }
  }
  const authSecret =
    config.auth.secret ??
    (await readOrCreateSecretFile(path.join(config.dataDir, "auth-secret"), () => randomBytes(33).toString("base64")));
  setRuntime({ databaseUrl, authSecret });
  await waitForDatabase(databaseUrl);
  const result = await migrateDatabase({ pool: getPool() }).catch((err: Error) => {
    throw new StartupError(err.message);
  });
  log.info({ applied: result.applied, upToDate: result.skipped }, "database migrations done");
  if (config.auth.provider.kind === "dev" && (await seedDemoTeam(getDb()))) log.info("created demo team payments");
  await ensureSandboxTeam(getDb());
  if (config.gitops.provider === "local") {
    await ensureLocalRepository(config.gitops.localPath, { branch: config.gitops.baseBranch });
    log.info({ path: config.gitops.localPath }, "local GitOps repository ready");
  }
  return { config, stopDatabase };
}
