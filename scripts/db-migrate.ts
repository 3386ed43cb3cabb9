// `npm run db:migrate`: applies db/migrations to DATABASE_URL (or the embedded database) and exits.
import { closeDb } from "@/lib/db";
import { boot, StartupError } from "@/lib/entry/boot";

try {
  const { stopDatabase } = await boot();
  await closeDb();
  await stopDatabase();
  process.exit(0);
} catch (err) {
  console.error(err instanceof StartupError ? err.message : err);
  process.exit(1);
}
