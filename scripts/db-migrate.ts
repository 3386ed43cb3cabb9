// `npm run db:migrate`: applies db/migrations to DATABASE_URL (or the embedded database) and exits.
// lib/ is imported after the server-only hook (see lib/entry/server-only-hook.ts).
import "@/lib/entry/server-only-hook";

const { closeDb } = await import("@/lib/db");
const { boot, StartupError } = await import("@/lib/entry/boot");

try {
  const { stopDatabase } = await boot();
  await closeDb();
  await stopDatabase();
  process.exit(0);
} catch (err) {
  console.error(err instanceof StartupError ? err.message : err);
  process.exit(1);
}
