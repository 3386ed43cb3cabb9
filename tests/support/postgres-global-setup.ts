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

let embedded: EmbeddedDatabase | undefined;

/**
 * Real PostgreSQL for integration tests: BERTH_TEST_DATABASE_URL when given (a database the
 * tests may wipe; never DATABASE_URL), else an embedded server under .data/test.
 */
export async function setup(project: TestProject) {
  let url = process.env.BERTH_TEST_DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(".data/test"),
      port: Number(process.env.BERTH_TEST_PG_PORT ?? 54339),
      database: "postgres",
    });
    url = embedded.url.replace(/\/postgres$/, "/berth_test");
    // A fresh database each run, so a changed migration never meets stale tables.
    const admin = new pg.Client({ connectionString: embedded.url });
    await admin.connect();
    await admin.query("DROP DATABASE IF EXISTS berth_test WITH (FORCE)");
    await admin.query("CREATE DATABASE berth_test");
    await admin.end();
  }
  const pool = createPool(url, 2);
  await migrateDatabase({ pool });
  await pool.end();
  project.provide("databaseUrl", url);
}

export async function teardown() {
  await embedded?.stop();
}
