// The test environment's types, declared once: the env JSON it writes (TestEnv), the options of
// its library functions and the records it keeps. Tests import them from here.

export type Log = (message: string) => void;

/** A node taint as the Kubernetes API spells it. */
export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** A kwok Node made for one node pool of one placement: labels and taints as the placement declares. */
export interface FakeNode {
  name: string;
  placement: string;
  pool: string;
  labels: Record<string, string>;
  taints: Taint[];
}

export interface KubernetesEnv {
  version: string;
  server: string;
  kubeconfig: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  ca: string;
  cert: string;
  key: string;
  /** Static admin bearer token (system:masters). */
  token: string;
  user: string;
  groups: string[];
  serviceAccountIssuer: string;
  /** Names of every CRD installed (upstream ones and the hand-written fixtures). */
  crds: string[];
  /** How the environment starts the apiserver (used to restart it on the same port). */
  apiserver: { bin: string; args: string[]; log: string };
}

export interface GiteaEnv {
  version: string;
  serverVersion: string;
  url: string;
  apiUrl: string;
  admin: { username: string; password: string; email: string };
  token: string;
  org: string;
  /** "<org>/<name>" of the GitOps repository. */
  repo: string;
  defaultBranch: string;
  /** http clone URL of the GitOps repository (what Argo CD clones). */
  cloneUrl: string;
  appIni: string;
}

export interface HelmEnv {
  version: string;
  binary: string;
  env: Record<string, string>;
}

export interface ControllersEnv {
  version: string;
  controllerManager: { healthz: string; controllers: string };
  scheduler: { healthz: string };
}

export interface KwokEnv {
  version: string;
  /** Annotation every kwok-managed Node carries (kwok is scoped to it). */
  nodeAnnotation: { key: string; value: string };
  nodes: FakeNode[];
  /** Where the nodes came from: placements files, or "default" for Berth's built-in placements. */
  placements: string[];
}

export interface ArgocdEnv {
  version: string;
  binary: string;
  namespace: string;
  /** The AppProject the environment creates (any source, any destination). */
  project: string;
  /** The Gitea GitOps repository as registered with Argo CD (repository Secret). */
  repoURL: string;
  /** The in-cluster destination every Application can target. */
  destination: string;
  redis: { version: string; address: string };
  repoServer: { address: string; metrics: string };
  applicationController: { metrics: string };
  applicationSetController: { metrics: string; probe: string; webhook: string };
  /** Annotations that make Argo CD act now instead of at its 3-minute poll. */
  refreshAnnotations: { application: string; applicationSet: string };
}

/** The env JSON (`BERTH_TESTENV_FILE`). */
export interface TestEnv {
  version: 2;
  startedAt: string;
  startedBy: number;
  detached: boolean;
  envFile: string;
  stateDir: string;
  tmpDir: string;
  logDir: string;
  kubernetes: KubernetesEnv;
  etcd: { version: string; endpoint: string };
  gitea: GiteaEnv;
  helm: HelmEnv;
  controllers: ControllersEnv;
  kwok: KwokEnv;
  argocd: ArgocdEnv;
  /** pid (= process group) of every process, by name. */
  processes: Record<string, number>;
  /** Seconds from start to ready. */
  startSeconds: number;
}

/** What startTestEnv returns: the env JSON plus stop(). */
export interface StartedTestEnv extends TestEnv {
  stop(): Promise<void>;
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
  /**
   * Placements whose node pools become kwok Nodes: YAML files in Berth's placements format, or
   * "default" for Berth's built-in placements (default: $BERTH_TESTENV_PLACEMENTS split on ",", else
   * "default" and lib/templates/testdata/placements.yaml — what the e2e servers and the lib tests use).
   */
  placements?: string[];
  log?: Log;
}

export interface ComponentBuild {
  version: string;
  path: string;
  dir: string;
  cached: boolean;
  seconds: number;
}

export type Builds = Record<string, ComponentBuild>;

/** One process of a running environment, as recorded in <stateDir>/state.json. */
export interface ProcRecord {
  name: string;
  pid: number;
  bin: string;
  log: string;
  /** How it was started (so it can be started again: startApiserver). */
  args: string[];
  cwd: string;
  /** Environment added to this process's own. */
  env: Record<string, string>;
}

export interface StateFile {
  startedBy: number;
  detached: boolean;
  startedAt: string;
  stateDir: string;
  tmpDir: string;
  envFile: string;
  processes: ProcRecord[];
}

/** A process started by this Node process: `exit` is set once it is gone. */
export interface Proc extends ProcRecord {
  exit: string | null;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
}
