import "server-only";
import { drizzle } from "drizzle-orm/node-postgres";
import * as schema from "@/db/schema";
import { getPool, type Db } from "./index";

export type SqlExecutor = { executeSql: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> };

/**
 * A transaction on one pooled connection, exposed both as Drizzle and as a raw executor, so a
 * pg-boss job can be enqueued atomically with the rows it is about (the transactional outbox).
 */
export async function transactionWithOutbox<T>(fn: (tx: Db, outbox: SqlExecutor) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    const result = await fn(drizzle(client, { schema }) as unknown as Db, {
      executeSql: (text, values) => client.query(text, values as unknown[]),
    });
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The raw executor of a Drizzle transaction (its pinned connection), so jobs can join it. Drizzle
 * keeps the transaction's client on its session; this is the one place that relies on that.
 */
export function outboxOf(tx: unknown): SqlExecutor {
  const client = (
    tx as { session?: { client?: { query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> } } }
  ).session?.client;
  if (!client || typeof client.query !== "function") throw new Error("not a Drizzle node-postgres transaction");
  return { executeSql: (text, values) => client.query(text, values) };
}
