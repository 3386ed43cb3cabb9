import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db";

export type Readiness = {
  status: "ok" | "unavailable";
  checks: { database: { ok: boolean; latencyMs?: number; error?: string } };
};

/** Checks the database with a short timeout; never throws. */
export async function checkReadiness({
  pool,
  timeoutMs = 1_000,
}: {
  pool?: pg.Pool;
  timeoutMs?: number;
} = {}): Promise<Readiness> {
  const started = performance.now();
  try {
    await Promise.race([
      (pool ?? getPool()).query("SELECT 1"),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { status: "ok", checks: { database: { ok: true, latencyMs: Math.round(performance.now() - started) } } };
  } catch (err) {
    // The message (e.g. ECONNREFUSED) helps operators and holds no credentials.
    return { status: "unavailable", checks: { database: { ok: false, error: (err as Error).message } } };
  }
}
