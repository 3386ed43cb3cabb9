// kube-controller-manager and kube-scheduler at the apiserver's version, so Deployments and
// StatefulSets get Pods, Pods get nodes, namespaces are deleted for real and new Nodes lose the
// not-ready taint (node lifecycle controller).
import path from "node:path";
import type { Kube } from "./kube";
import type { Supervisor } from "./processes";
import type { Builds, ControllersEnv, Log } from "./types";
import { freePort, request, waitFor } from "./util";

// Everything except what needs a cloud provider or an IPAM (no CNI, no cloud here), and the
// bootstrap-token controllers (no kubeadm join).
export const CONTROLLERS = "*,-nodeipam,-service,-route,-cloud-node-lifecycle,-bootstrapsigner,-tokencleaner";

export async function startControllers(opts: {
  builds: Builds;
  kube: Kube;
  tmpDir: string;
  sup: Supervisor;
  log: Log;
}): Promise<ControllersEnv> {
  const { builds, kube, sup, log } = opts;
  const kubeconfig = kube.env.kubeconfig;
  const [cmPort, schedPort] = await Promise.all([freePort(), freePort()]);
  const common = (port: number, certDir: string) => [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    // One replica, and the apiserver may be restarted by tests: a lost lease must not end the process.
    "--leader-elect=false",
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
    `--cert-dir=${path.join(opts.tmpDir, certDir)}`,
    "-v=1",
  ];
  const cm = sup.start("kube-controller-manager", builds["kube-controller-manager"]!.path, [
    ...common(cmPort, "controller-manager"),
    `--controllers=${CONTROLLERS}`,
    `--service-account-private-key-file=${kube.pki.file("sa.key")}`,
    `--root-ca-file=${kube.pki.file("ca.crt")}`,
    `--cluster-signing-cert-file=${kube.pki.file("ca.crt")}`,
    `--cluster-signing-key-file=${kube.pki.file("ca.key")}`,
    "--use-service-account-credentials=false",
  ]);
  const sched = sup.start("kube-scheduler", builds["kube-scheduler"]!.path, common(schedPort, "scheduler"));
  const healthz = (port: number) => `https://127.0.0.1:${port}/healthz`;
  const healthy = (url: string) => async () =>
    (await request(url, { tls: { rejectUnauthorized: false } })).status === 200;
  await Promise.all([
    waitFor("kube-controller-manager /healthz", healthy(healthz(cmPort)), { proc: cm }),
    waitFor("kube-scheduler /healthz", healthy(healthz(schedPort)), { proc: sched }),
  ]);
  const version = builds["kube-controller-manager"]!.version;
  log(`kube-controller-manager and kube-scheduler ${version} ready`);
  return {
    version,
    controllerManager: { healthz: healthz(cmPort), controllers: CONTROLLERS },
    scheduler: { healthz: healthz(schedPort) },
  };
}
