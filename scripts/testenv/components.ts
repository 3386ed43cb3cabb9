// The built components: where each is cached and how it is built from its pinned Go module.
import fsp from "node:fs/promises";
import path from "node:path";
import { buildCrds, crdsVersion } from "./crds";
import { goModDownload, k8sVersionLdflags, type Runner } from "./go";
import { makeWritable } from "./util";
import { ARGOCD_DIR, ARGOCD_GOTOOLCHAIN, CACHE_ROOT, KWOK_DIR, TOOLS_DIR, versions } from "./versions";

export interface Component {
  name: string;
  version: string;
  /** The file `build` must produce in the component's folder. */
  bin: string;
  dir: string;
  path: string;
  marker: string;
  /** Builds in one lane run one after another; the two lanes run side by side (2 cores). */
  lane: "argocd" | "main";
  /** Extra environment of this component's go commands (recorded in build.json). */
  goEnv?: Record<string, string>;
  build(outDir: string, run: Runner, built: (name: string) => string): Promise<void>;
}

type Def = Omit<Component, "dir" | "path" | "marker">;

const GITEA_TAGS = "sqlite sqlite_unlock_notify";

/** `go build` of a tool of one of the build modules under testenv/. */
function goTool(pkg: string, ldflags: string, cwd = TOOLS_DIR, env: Record<string, string> = {}): Def["build"] {
  return async (outDir, run) => {
    await run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", `${outDir}/`, pkg], {
      cwd,
      env: { CGO_ENABLED: "0", ...env },
    });
  };
}

export function components(): Component[] {
  const v = versions();
  const k8s = k8sVersionLdflags(v.kubernetes);
  const argocdEnv = { GOTOOLCHAIN: ARGOCD_GOTOOLCHAIN };
  const defs: Def[] = [
    {
      name: "etcd",
      version: v.etcd,
      bin: "etcd",
      lane: "main",
      build: async (outDir, run) => {
        const ldflags = `-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${v.etcd}`;
        const args = [
          "build",
          "-trimpath",
          "-ldflags",
          ldflags,
          "-o",
          path.join(outDir, "etcd"),
          "go.etcd.io/etcd/server/v3",
        ];
        await run("go", args, { cwd: TOOLS_DIR, env: { CGO_ENABLED: "0" } });
      },
    },
    {
      name: "kube-apiserver",
      version: v.kubernetes,
      bin: "kube-apiserver",
      lane: "main",
      build: goTool("k8s.io/kubernetes/cmd/kube-apiserver", k8s),
    },
    {
      name: "kube-controller-manager",
      version: v.kubernetes,
      bin: "kube-controller-manager",
      lane: "main",
      build: goTool("k8s.io/kubernetes/cmd/kube-controller-manager", k8s),
    },
    {
      name: "kube-scheduler",
      version: v.kubernetes,
      bin: "kube-scheduler",
      lane: "main",
      build: goTool("k8s.io/kubernetes/cmd/kube-scheduler", k8s),
    },
    {
      name: "helm",
      version: v.helm,
      bin: "helm",
      lane: "main",
      build: goTool("helm.sh/helm/v3/cmd/helm", `-s -w -X helm.sh/helm/v3/internal/version.version=${v.helm}`),
    },
    {
      name: "controller-gen",
      version: v.controllerTools,
      bin: "controller-gen",
      lane: "main",
      build: goTool("sigs.k8s.io/controller-tools/cmd/controller-gen", `-s -w`),
    },
    {
      name: "kwok",
      version: v.kwok,
      bin: "kwok",
      lane: "main",
      build: async (outDir, run) => {
        await goTool("sigs.k8s.io/kwok/cmd/kwok", "-s -w", KWOK_DIR)(outDir, run, () => "");
        // kwok does nothing without stages: keep the upstream ones next to the binary.
        const src = await goModDownload(run, "sigs.k8s.io/kwok", v.kwok);
        for (const stage of ["node/fast", "node/heartbeat", "pod/fast"]) {
          const from = path.join(src, "kustomize", "stage", stage);
          const to = path.join(outDir, "stages", stage.replace("/", "-"));
          await fsp.mkdir(to, { recursive: true });
          for (const f of (await fsp.readdir(from)).filter((n) => n.endsWith(".yaml") && n !== "kustomization.yaml")) {
            await fsp.copyFile(path.join(from, f), path.join(to, f));
          }
        }
      },
    },
    {
      name: "argocd",
      version: v.argocd,
      bin: "argocd",
      lane: "argocd",
      goEnv: argocdEnv,
      build: async (outDir, run) => {
        const ldflags = `-s -w -X github.com/argoproj/argo-cd/v3/common.version=${v.argocd.replace(/^v/, "")}`;
        await goTool("github.com/argoproj/argo-cd/v3/cmd", ldflags, ARGOCD_DIR, argocdEnv)(outDir, run, () => "");
        await fsp.rename(path.join(outDir, "cmd"), path.join(outDir, "argocd"));
        // The repo-server runs git through Argo CD's own wrapper script (looked up on PATH); the
        // settings objects (argocd-cm, argocd-secret, ...) are read from Argo CD's core install.
        const src = await goModDownload(run, "github.com/argoproj/argo-cd/v3", v.argocd, argocdEnv);
        await fsp.copyFile(path.join(src, "manifests", "core-install.yaml"), path.join(outDir, "core-install.yaml"));
        await fsp.mkdir(path.join(outDir, "path"));
        const wrapper = path.join(outDir, "path", "git-verify-wrapper.sh");
        await fsp.copyFile(path.join(src, "hack", "git-verify-wrapper.sh"), wrapper);
        await fsp.chmod(wrapper, 0o755);
      },
    },
    {
      name: "crds",
      version: crdsVersion(v),
      bin: "crds.json",
      lane: "main",
      build: (outDir, run, built) => buildCrds(outDir, run, v, built("controller-gen")),
    },
    {
      name: "gitea",
      version: v.gitea,
      bin: "gitea",
      lane: "main",
      build: async (outDir, run) => {
        const dir = await goModDownload(run, "code.gitea.io/gitea", v.gitea);
        const src = path.join(outDir, ".src");
        await fsp.cp(dir, src, { recursive: true });
        await makeWritable(src);
        const ldflags = `-s -w -X "main.Version=${v.gitea.replace(/^v/, "")}" -X "main.Tags=${GITEA_TAGS}"`;
        const args = [
          "build",
          "-trimpath",
          "-tags",
          GITEA_TAGS,
          "-ldflags",
          ldflags,
          "-o",
          path.join(outDir, "gitea"),
          ".",
        ];
        await run("go", args, { cwd: src, env: { CGO_ENABLED: "1" } });
        // Built without the bindata tag: templates/options/locales are read from STATIC_ROOT_PATH.
        for (const d of ["options", "templates", "public"]) {
          await fsp.cp(path.join(src, d), path.join(outDir, d), { recursive: true });
        }
        await fsp.rm(src, { recursive: true, force: true });
      },
    },
  ];
  return defs.map((d) => {
    const dir = path.join(CACHE_ROOT, `${d.name}-${d.version}`);
    return { ...d, dir, path: path.join(dir, d.bin), marker: path.join(dir, "build.json") };
  });
}
