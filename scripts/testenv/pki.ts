// Certificates for the apiserver and its clients, made with the openssl CLI: a CA, the serving
// cert, an admin client cert in system:masters and the service-account key pair. EC P-256 keys are
// instant to generate.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomSecret } from "./util";

export const SERVICE_CIDR = "10.0.0.0/24";
const SERVICE_IP = "10.0.0.1";

export interface Pki {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  file: (name: string) => string;
  adminToken: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

export function makePki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    [
      ...["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "7", "-subj", "/CN=berth-testenv-ca"],
      ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    ],
    dir,
  );
  const leaf = (name: string, subj: string, ext: string[]) => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), `${ext.join("\n")}\n`);
    openssl(["req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj], dir);
    openssl(
      [
        ...["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial"],
        ...["-days", "7", "-out", `${name}.crt`, "-extfile", `${name}.ext`],
      ],
      dir,
    );
  };
  const sans = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];
  leaf("apiserver", "/CN=kube-apiserver", [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    `subjectAltName=IP:127.0.0.1,DNS:localhost,${sans.map((s) => `DNS:${s}`).join(",")},IP:${SERVICE_IP}`,
  ]);
  leaf("admin", "/O=system:masters/CN=berth-admin", [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=clientAuth",
  ]);
  openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "sa.key"], dir);
  openssl(["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
  // Static bearer token for the admin as well (same groups as the client cert).
  const adminToken = randomSecret(32);
  fs.writeFileSync(
    path.join(dir, "tokens.csv"),
    `${adminToken},berth-admin-token,berth-admin-token,"system:masters"\n`,
    { mode: 0o600 },
  );
  const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
  return {
    dir,
    ca: read("ca.crt"),
    cert: read("admin.crt"),
    key: read("admin.key"),
    file: (name) => path.join(dir, name),
    adminToken,
  };
}

/** An admin kubeconfig with the client certificate embedded. */
export function writeKubeconfig(file: string, server: string, pki: Pki): void {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "berth-testenv", cluster: { server, "certificate-authority-data": b64(pki.ca) } }],
    users: [
      { name: "berth-admin", user: { "client-certificate-data": b64(pki.cert), "client-key-data": b64(pki.key) } },
    ],
    contexts: [
      { name: "berth-testenv", context: { cluster: "berth-testenv", user: "berth-admin", namespace: "default" } },
    ],
    "current-context": "berth-testenv",
    preferences: {},
  };
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}
