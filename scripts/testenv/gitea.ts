// Gitea: migrated, an admin user with an access token made through the CLI, then `gitea web`, the
// organisation and the GitOps repository (auto-initialised with a README on main).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { giteaIni } from "./gitea-ini";
import type { Supervisor } from "./processes";
import type { Builds, GiteaEnv, Log } from "./types";
import { freePort, randomSecret, request, waitFor } from "./util";

const ADMIN = { username: "berth-admin", email: "berth-admin@example.test" };
const ORG = "platform";
const REPO = "gitops";

export async function startGitea(opts: {
  builds: Builds;
  tmpDir: string;
  sup: Supervisor;
  log: Log;
}): Promise<GiteaEnv> {
  const { builds, sup, log } = opts;
  const bin = builds.gitea!.path;
  const work = path.join(opts.tmpDir, "gitea");
  const custom = path.join(work, "custom");
  const conf = path.join(custom, "conf", "app.ini");
  await fsp.mkdir(path.dirname(conf), { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.writeFileSync(conf, giteaIni({ work, url, port, staticRoot: builds.gitea!.dir }), { mode: 0o600 });
  const env = { GITEA_WORK_DIR: work, GITEA_CUSTOM: custom, HOME: work, USER: os.userInfo().username };
  const global = ["--config", conf, "--work-path", work, "--custom-path", custom];
  const cli = (args: string[]) => {
    try {
      return execFileSync(bin, [...args, ...global], {
        cwd: work,
        env: { ...process.env, ...env },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`gitea ${args.slice(0, 3).join(" ")} failed: ${e.stderr || e.stdout || e.message}`);
    }
  };
  const password = randomSecret(18);
  cli(["migrate"]);
  cli([
    ...["admin", "user", "create", "--admin", "--username", ADMIN.username, "--password", password],
    ...["--email", ADMIN.email, "--must-change-password=false"],
  ]);
  const token = (
    cli([
      ...["admin", "user", "generate-access-token", "--username", ADMIN.username],
      ...["--token-name", "berth-testenv", "--scopes", "all", "--raw"],
    ])
      .trim()
      .split("\n")
      .pop() ?? ""
  ).trim();

  const web = sup.start("gitea", bin, ["web", ...global], { cwd: work, env });
  await waitFor("gitea /api/healthz", async () => (await request(`${url}/api/healthz`)).status === 200, {
    proc: web,
    timeoutMs: 90_000,
  });

  const api = async (what: string, method: string, p: string, body: unknown, ...ok: number[]) => {
    const r = await request(`${url}/api/v1${p}`, {
      method,
      body,
      headers: { authorization: `token ${token}`, accept: "application/json" },
    });
    if (!ok.includes(r.status)) throw new Error(`gitea: ${what}: HTTP ${r.status}: ${r.text}`);
    return r.json() as Record<string, string>;
  };
  const { version } = await api("version", "GET", "/version", undefined, 200);
  await api("create org", "POST", "/orgs", { username: ORG, visibility: "public" }, 201);
  const repo = await api(
    "create repo",
    "POST",
    `/orgs/${ORG}/repos`,
    {
      name: REPO,
      description: "Berth GitOps repository (test environment)",
      auto_init: true,
      readme: "Default",
      default_branch: "main",
      private: false,
    },
    201,
  );
  log(`gitea ${version} ready on ${url} (${ORG}/${REPO})`);
  return {
    version: builds.gitea!.version,
    serverVersion: version ?? "",
    url,
    apiUrl: `${url}/api/v1`,
    admin: { username: ADMIN.username, password, email: ADMIN.email },
    token,
    org: ORG,
    repo: `${ORG}/${REPO}`,
    defaultBranch: repo.default_branch ?? "main",
    cloneUrl: repo.clone_url ?? "",
    appIni: conf,
  };
}
