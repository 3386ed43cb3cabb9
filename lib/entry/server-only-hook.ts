// Berth's own Node programs (server.ts, scripts/*.ts, bench/*.ts) are server code by definition,
// but outside Next.js the "server-only" marker resolves to its throwing entry: its package maps
// the empty one to the react-server condition only, which plain Node (and tsx) do not set, and
// setting it globally would hand React's server build to Next's renderer. So a program imports
// this module first (or runs with `tsx --import ./lib/entry/server-only-hook.ts`) and loads lib/
// afterwards, with a dynamic import(): this hook then maps "server-only" to its empty entry.
// Vitest does the same with an alias (vitest.config.ts); Next.js resolves it itself.
import { createRequire, registerHooks } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const marker = createRequire(import.meta.url).resolve("server-only"); // …/server-only/index.js
const empty = pathToFileURL(path.join(path.dirname(marker), "empty.js")).href;

registerHooks({
  resolve: (specifier, context, nextResolve) =>
    specifier === "server-only" ? { url: empty, shortCircuit: true } : nextResolve(specifier, context),
});
