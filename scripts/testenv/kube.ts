// etcd and kube-apiserver: one etcd member on loopback and the secure port only, RBAC, a
// service-account signing key pair (TokenRequest works) and an admin kubeconfig.
import fs from "node:fs";
import path from "node:path";
import { type KubeClient, kubeClient } from "./kube-api";
import { makePki, type Pki, SERVICE_CIDR, writeKubeconfig } from "./pki";
import type { Supervisor } from "./processes";
import type { Builds, KubernetesEnv, Log } from "./types";
import { freePort, request, waitFor } from "./util";

export interface Kube {
  env: Omit<KubernetesEnv, "crds">;
  etcd: { version: string; endpoint: string };
  client: KubeClient;
  pki: Pki;
}

const ISSUER = "https://kubernetes.default.svc.cluster.local";

export async function startKube(opts: { builds: Builds; tmpDir: string; sup: Supervisor; log: Log }): Promise<Kube> {
  const { builds, sup, log } = opts;
  const dir = path.join(opts.tmpDir, "kube");
  const [etcdPort, etcdPeerPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);

  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const etcd = sup.start("etcd", builds.etcd!.path, [
    "--name=berth",
    `--data-dir=${path.join(dir, "etcd")}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=berth=${peerUrl}`,
    "--initial-cluster-state=new",
    "--unsafe-no-fsync", // test data only
    "--log-level=warn",
  ]);
  const pki = makePki(path.join(dir, "pki"));
  const tls = { ca: pki.ca, cert: pki.cert, key: pki.key };
  const server = `https://127.0.0.1:${apiPort}`;

  await waitFor(
    "etcd health",
    async () => {
      const r = await request(`${etcdUrl}/health`);
      return r.status === 200 && (r.json() as { health: string }).health === "true";
    },
    { proc: etcd, timeoutMs: 60_000 },
  );
  log(`etcd ${builds.etcd!.version} ready on ${etcdUrl}`);

  const args = [
    `--etcd-servers=${etcdUrl}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${apiPort}`,
    `--cert-dir=${path.join(dir, "certs")}`,
    `--tls-cert-file=${pki.file("apiserver.crt")}`,
    `--tls-private-key-file=${pki.file("apiserver.key")}`,
    `--client-ca-file=${pki.file("ca.crt")}`,
    `--token-auth-file=${pki.file("tokens.csv")}`,
    "--authorization-mode=RBAC",
    `--service-account-issuer=${ISSUER}`,
    `--service-account-key-file=${pki.file("sa.pub")}`,
    `--service-account-signing-key-file=${pki.file("sa.key")}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // As kubeadm sets it: charts with privileged containers are accepted.
    "--allow-privileged=true",
  ];
  const apiserver = sup.start("kube-apiserver", builds["kube-apiserver"]!.path, args);
  const client = kubeClient(server, tls);
  await waitFor("kube-apiserver /readyz", async () => (await client.request("/readyz")).status === 200, {
    proc: apiserver,
  });
  await waitFor("namespace default", async () => (await client.request("/api/v1/namespaces/default")).status === 200, {
    proc: apiserver,
    timeoutMs: 60_000,
  });
  log(`kube-apiserver ${builds["kube-apiserver"]!.version} ready on ${server}`);

  const kubeconfig = path.join(dir, "kubeconfig");
  writeKubeconfig(kubeconfig, server, pki);
  fs.chmodSync(kubeconfig, 0o600);
  return {
    etcd: { version: builds.etcd!.version, endpoint: etcdUrl },
    client,
    pki,
    env: {
      version: builds["kube-apiserver"]!.version,
      server,
      kubeconfig,
      caFile: pki.file("ca.crt"),
      certFile: pki.file("admin.crt"),
      keyFile: pki.file("admin.key"),
      ca: pki.ca,
      cert: pki.cert,
      key: pki.key,
      token: pki.adminToken,
      user: "berth-admin",
      groups: ["system:masters"],
      serviceAccountIssuer: ISSUER,
      // How to start it again on the same port and certs (stopApiserver/startApiserver).
      apiserver: { bin: builds["kube-apiserver"]!.path, args, log: apiserver.log },
    },
  };
}
