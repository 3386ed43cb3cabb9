import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db";
import { migrateDatabase, MIGRATIONS_DIR } from "./migrate";

describe("migrations", () => {
  it("are idempotent: a second run applies nothing", async () => {
    const result = await migrateDatabase({ pool: getPool() });
    expect(result.applied).toEqual([]);
    expect(result.skipped).toBeGreaterThan(0);
  });

  it("refuse a migration edited after it was applied", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "berth-mig-"));
    await writeFile(path.join(dir, "0001_foundation.sql"), "SELECT 1;");
    await expect(migrateDatabase({ pool: getPool(), dir })).rejects.toThrow(
      /0001_foundation.sql was changed after it was applied/,
    );
  });

  it("roll back a failing migration completely", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "berth-mig-"));
    const { rows } = await getPool().query<{ name: string }>("SELECT name FROM schema_migrations");
    // Re-create the applied files' records as-is, then one that half-works.
    for (const r of rows) await writeFile(path.join(dir, r.name), await readFile(path.join(MIGRATIONS_DIR, r.name)));
    await writeFile(
      path.join(dir, "9999_broken.sql"),
      "CREATE TABLE half_written (id int); SELECT * FROM missing_table;",
    );
    await expect(migrateDatabase({ pool: getPool(), dir })).rejects.toThrow(/9999_broken.sql failed/);
    const exists = await getPool().query("SELECT to_regclass('half_written') AS t");
    expect(exists.rows[0].t).toBeNull();
  });
});

describe("audit_events", () => {
  const insert = () =>
    getPool().query(
      "INSERT INTO audit_events (actor_label, action, subject_type, subject_id) VALUES ('t', 'team.created', 'team', 'x') RETURNING id",
    );

  it("accepts inserts", async () => {
    const { rows } = await insert();
    expect(rows[0].id).toBeTruthy();
  });

  it.each([
    ["UPDATE", "UPDATE audit_events SET actor_label = 'forged'"],
    ["DELETE", "DELETE FROM audit_events"],
    ["TRUNCATE", "TRUNCATE audit_events"],
  ])("refuses %s in the database itself", async (op, sql) => {
    await insert();
    await expect(getPool().query(sql)).rejects.toThrow(`audit_events is append-only: ${op} refused`);
    const { rows } = await getPool().query("SELECT count(*)::int AS n, min(actor_label) AS label FROM audit_events");
    expect(rows[0]).toEqual({ n: 1, label: "t" });
  });
});
