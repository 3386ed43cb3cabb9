// The test environment's command line; see scripts/testenv/commands.ts for the verbs. It reads
// Berth's placement schema (lib/config), which is marked server-only: the hook maps that marker
// before anything of lib/ is loaded, hence the dynamic import.
import "../../lib/entry/server-only-hook";

await import("./commands");
