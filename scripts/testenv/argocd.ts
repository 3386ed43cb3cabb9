// Argo CD in core mode: redis (Debian's redis-server, no persistence), then one binary started as
// repo-server, application-controller and applicationset-controller (ARGOCD_BINARY_NAME), each
// awaited on its health endpoint or, for the ApplicationSet controller, its "Starting workers" line.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { ARGOCD_NAMESPACE, ARGOCD_PROJECT, applyArgocdSettings } from "./argocd-settings";
import type { Kube } from "./kube";
import type { Supervisor } from "./processes";
import type { ArgocdEnv, Builds, GiteaEnv, Log, Proc } from "./types";
import { freePort, request, waitFor, waitForLogLine } from "./util";

/** bootstrap/'s `application.namespaces` (lib/gitops/argocd-names.ts TEAM_APP_NAMESPACES_GLOB). */
const APPLICATION_NAMESPACES = "berth-apps-*";
const REDIS = process.env.BERTH_REDIS_SERVER ?? "redis-server";

function redisVersion(): string {
  try {
    return execFileSync(REDIS, ["--version"], { encoding: "utf8" }).match(/v=(\S+)/)?.[1] ?? "unknown";
  } catch {
    throw new Error(`${REDIS} not found: install Debian's redis-server (apt-get install -y redis-server)`);
  }
}

/** One PING over a fresh connection. */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.setTimeout(2000, () => s.destroy());
    s.on("connect", () => s.write("PING\r\n"));
    s.on("data", (d) => {
      resolve(d.toString().startsWith("+PONG"));
      s.end();
    });
    s.on("error", () => resolve(false));
    s.on("close", () => resolve(false));
  });
}

type Seven = [number, number, number, number, number, number, number];
const healthz = (url: string) => async () => (await request(url)).status === 200;

export async function startArgocd(opts: {
  builds: Builds;
  kube: Kube;
  gitea: GiteaEnv;
  tmpDir: string;
  sup: Supervisor;
  log: Log;
}): Promise<ArgocdEnv> {
  const { builds, kube, gitea, sup, log } = opts;
  const argocd = builds.argocd!;
  const redisVer = redisVersion();
  const ports = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const [redisPort, repoPort, repoMetrics, ctrlMetrics, setMetrics, setProbe, setWebhook] = ports as Seven;
  const redis = sup.start("redis", REDIS, [
    ...["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
  ]);
  const settings = applyArgocdSettings(kube.client, argocd.dir, gitea);
  await waitFor("redis PING", () => redisPing(redisPort), { proc: redis, timeoutMs: 30_000 });
  await settings;

  const home = (name: string) => {
    const dir = path.join(opts.tmpDir, "argocd", name);
    fs.mkdirSync(path.join(dir, "tmp"), { recursive: true });
    return { HOME: dir, TMPDIR: path.join(dir, "tmp") };
  };
  const component = (name: string, args: string[], env: Record<string, string> = {}): Proc =>
    sup.start(name, argocd.path, [...args, "--logformat", "text", "--loglevel", "info"], {
      env: { ARGOCD_BINARY_NAME: name, ...home(name), ...env },
    });
  const redisAddr = `127.0.0.1:${redisPort}`;
  const repoAddr = `127.0.0.1:${repoPort}`;
  // The controllers take https://kubernetes.default.svc from KUBECONFIG instead of a pod's mount.
  const inCluster = { ARGOCD_FAKE_IN_CLUSTER: "true", KUBECONFIG: kube.env.kubeconfig };
  const kubeArgs = ["--kubeconfig", kube.env.kubeconfig, "--namespace", ARGOCD_NAMESPACE];

  const repoServer = component(
    "argocd-repo-server",
    [
      ...["--address", "127.0.0.1", "--port", String(repoPort)],
      ...["--metrics-address", "127.0.0.1", "--metrics-port", String(repoMetrics)],
      ...["--disable-tls", "--client-ca-path=", "--redis", redisAddr],
    ],
    {
      ARGOCD_GPG_ENABLED: "false",
      // git-verify-wrapper.sh, and helm for Helm sources.
      PATH: [path.join(argocd.dir, "path"), builds.helm!.dir, process.env.PATH].join(":"),
    },
  );
  const controller = component(
    "argocd-application-controller",
    [
      ...kubeArgs,
      ...["--repo-server", repoAddr, "--repo-server-plaintext", "--redis", redisAddr],
      ...["--metrics-port", String(ctrlMetrics)],
      // What bootstrap/'s argocd-cmd-params-cm sets: Applications in the teams' namespaces.
      ...["--application-namespaces", APPLICATION_NAMESPACES],
    ],
    inCluster,
  );
  const appset = component(
    "argocd-applicationset-controller",
    [
      ...kubeArgs,
      ...["--argocd-repo-server", repoAddr, "--repo-server-plaintext", "--enable-leader-election=false"],
      ...["--metrics-addr", `127.0.0.1:${setMetrics}`, "--probe-addr", `127.0.0.1:${setProbe}`],
      ...["--webhook-addr", `127.0.0.1:${setWebhook}`],
    ],
    inCluster,
  );
  const repoMetricsUrl = `http://127.0.0.1:${repoMetrics}`;
  const ctrlMetricsUrl = `http://127.0.0.1:${ctrlMetrics}`;
  await Promise.all([
    waitFor("argocd-repo-server /healthz", healthz(`${repoMetricsUrl}/healthz`), { proc: repoServer }),
    waitFor("argocd-application-controller /healthz", healthz(`${ctrlMetricsUrl}/healthz`), { proc: controller }),
    waitForLogLine(appset, /Starting workers/, "argocd-applicationset-controller: Starting workers"),
  ]);
  log(`argocd ${argocd.version} (repo-server, application-controller, applicationset-controller) ready`);
  return {
    version: argocd.version,
    binary: argocd.path,
    namespace: ARGOCD_NAMESPACE,
    project: ARGOCD_PROJECT,
    repoURL: gitea.cloneUrl,
    destination: "https://kubernetes.default.svc",
    redis: { version: `v${redisVer}`, address: redisAddr },
    repoServer: { address: repoAddr, metrics: repoMetricsUrl },
    applicationController: { metrics: ctrlMetricsUrl },
    applicationSetController: {
      metrics: `http://127.0.0.1:${setMetrics}`,
      probe: `http://127.0.0.1:${setProbe}`,
      webhook: `http://127.0.0.1:${setWebhook}/api/webhook`,
    },
    refreshAnnotations: {
      application: "argocd.argoproj.io/refresh",
      applicationSet: "argocd.argoproj.io/application-set-refresh",
    },
  };
}
