// Types for scripts/test-env.mjs (the project compiles with allowJs: false).
// The shape of the env JSON is described in tests/testenv/env.ts (TestEnv).

export declare const REPO_ROOT: string;
export declare const DEFAULT_STATE_DIR: string;
export declare const CACHE_ROOT: string;
export declare const GITEA_VERSION: string;

export interface TestEnvComponentBuild {
  version: string;
  path: string;
  dir: string;
  cached: boolean;
  seconds: number;
}

export interface StartTestEnvOptions {
  /** State folder (default <repo>/.data/testenv or $BERTH_TESTENV_STATE_DIR). */
  stateDir?: string;
  /** Env JSON path (default <stateDir>/env.json). */
  envFile?: string;
  /** Leave the processes running after this process exits (what the CLI `start` does). */
  detach?: boolean;
  /** Build missing binaries first (default true); false fails if one is not cached. */
  build?: boolean;
  log?: (message: string) => void;
}

/** The parsed env JSON plus a stop() that stops the processes and removes the temporary data. */
export interface StartedTestEnv {
  version: 1;
  envFile: string;
  stateDir: string;
  tmpDir: string;
  logDir: string;
  startedBy: number;
  detached: boolean;
  kubernetes: Record<string, unknown> & { server: string; kubeconfig: string; version: string };
  etcd: { version: string; endpoint: string };
  gitea: Record<string, unknown> & { url: string; token: string; repo: string };
  helm: { version: string; binary: string; env: Record<string, string> };
  processes: Record<string, number>;
  stop(): Promise<void>;
}

export declare function toolVersions(): Record<"etcd" | "kube-apiserver" | "helm" | "gitea", string>;
export declare function buildTestEnv(opts?: {
  log?: (message: string) => void;
  only?: string[];
}): Promise<Record<string, TestEnvComponentBuild>>;
export declare function startTestEnv(opts?: StartTestEnvOptions): Promise<StartedTestEnv>;
export declare function stopTestEnv(opts?: {
  stateDir?: string;
  log?: (message: string) => void;
  force?: boolean;
}): Promise<boolean>;
export declare function readTestEnv(opts?: { stateDir?: string }): Omit<StartedTestEnv, "stop"> | null;
export declare function request(
  url: string,
  opts?: { method?: string; headers?: Record<string, string>; body?: unknown; tls?: object },
): Promise<{ status: number; headers: Record<string, unknown>; text: string; json(): any }>;
/** Stops only the kube-apiserver (etcd keeps the data); envFile defaults to $BERTH_TESTENV_FILE. */
export declare function stopApiserver(opts?: {
  envFile?: string;
  log?: (message: string) => void;
  graceMs?: number;
}): Promise<void>;
/** Starts the kube-apiserver again on the same port with the same certificates; waits for /readyz. */
export declare function startApiserver(opts?: { envFile?: string; log?: (message: string) => void }): Promise<void>;
