import "server-only";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "@/db/schema";
import { getConfig, getRuntime } from "@/lib/config";

export type Db = NodePgDatabase<typeof schema>;
// A transaction handle has the same query API; services accept either.
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const store = globalThis as typeof globalThis & { __berthPool?: pg.Pool; __berthDb?: Db };

export function createPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  // An idle client losing its server (database restart) must not crash the process.
  pool.on("error", () => undefined);
  return pool;
}

/** The shared pool; one per process even though Next bundles this module separately. */
export function getPool(): pg.Pool {
  store.__berthPool ??= createPool(getRuntime().databaseUrl, getConfig().database.poolMax);
  return store.__berthPool;
}

export function getDb(): Db {
  store.__berthDb ??= drizzle(getPool(), { schema });
  return store.__berthDb;
}

export async function closeDb(): Promise<void> {
  const pool = store.__berthPool;
  store.__berthPool = undefined;
  store.__berthDb = undefined;
  await pool?.end();
}
