// The test environment's library API (Vitest globalSetup, bench, e2e): start, stop, find, restart
// the apiserver; its types are in ./types. See testenv/README.md.
export { buildTestEnv } from "./build";
export { startTestEnv } from "./start";
export { readTestEnv, startApiserver, stopApiserver, stopTestEnv } from "./stop";
export type * from "./types";
export { CACHE_ROOT, DEFAULT_STATE_DIR, REPO_ROOT } from "./versions";
