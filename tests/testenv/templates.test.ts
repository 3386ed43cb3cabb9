// Everything the built-in templates and bootstrap/ render, checked by the real kube-apiserver (server-
// side dry run, fieldValidation=Strict, with whatever CRDs the environment installs: the upstream
// projects' own), and the charts the templates install rendered by the real helm: the team-projects
// chart into AppProjects, the vCluster chart (from its Go module) into the objects Argo CD would
// apply, each of which the team's AppProject must permit.
import crypto from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapObjects } from "@/lib/gitops/bootstrap-manifests";
import { TEAM_PROJECTS_CHART } from "@/lib/gitops/team-projects-chart";
import { PROJECT_VALUES_FILE, teamProject } from "@/lib/gitops/argocd-names";
import { CRD_FILES, DEPRECATED_ON_PURPOSE, loadCrd } from "@/lib/templates/upstream/crd-schema";
import { moduleDir, UPSTREAM } from "@/lib/templates/upstream/modules";
import {
  permitsClusterResource,
  permitsDestination,
  type AppProjectSpec,
} from "@/lib/templates/upstream/project-permits";
import {
  chartApplications,
  renderedObjects,
  renderVariants,
  type RenderedVariant,
} from "@/lib/templates/upstream/variants";
import { loadTestEnv } from "./env";
import {
  deleteNamespaces,
  dryRunProblem,
  ensureNamespaces,
  helmTemplate,
  resourceFor,
  type K8sObject,
} from "./support/dry-run";

const env = loadTestEnv();
const id = crypto.randomBytes(3).toString("hex");
const [teamA, teamB] = [`ta${id}`, `tb${id}`];
const REPO = "https://git.example.com/platform/gitops.git";
let a: RenderedVariant[] = [];
let b: RenderedVariant[] = [];
let objects: K8sObject[] = [];
let created: string[] = [];

// A warning is a problem, except the deprecation kept on purpose (crd-schema.ts) and the API
// server's advice on the AppProject finalizer, whose name Argo CD fixes (AppProject.HasFinalizer).
const allowedWarning = (o: K8sObject, w: string) =>
  [...DEPRECATED_ON_PURPOSE].some((d) => {
    const [group, , version] = d.split("/");
    return w.includes(`${group}/${version}`);
  }) ||
  (o.kind === "AppProject" &&
    w.includes("resources-finalizer.argocd.argoproj.io") &&
    w.includes("prefer a domain-qualified"));
const accepted = (o: K8sObject, p: string | null) =>
  !p || (p.startsWith("accepted with warning") && allowedWarning(o, p));
const namespaceProblems: string[] = [];

beforeAll(async () => {
  a = await renderVariants({ prefix: `a${id}x`, team: teamA });
  b = await renderVariants({ prefix: `b${id}x`, team: teamB });
  objects = renderedObjects(a).map((o) => o.object as K8sObject);
  const boot = bootstrapObjects({
    repoURL: REPO,
    revision: "main",
    labelDomain: "berth.io",
    argocdNamespace: "argocd",
  });
  objects.push(...(Object.values(boot).flat() as K8sObject[]));
  // Namespaces are dry-run before they exist; then the namespaces of all other objects are created.
  for (const o of objects.filter((x) => x.kind === "Namespace")) {
    const p = await dryRunProblem(env, o);
    if (!accepted(o, p)) namespaceProblems.push(`Namespace/${o.metadata.name}: ${p}`);
  }
  created = await ensureNamespaces(
    env,
    objects.filter((o) => o.metadata.namespace).map((o) => o.metadata.namespace!),
  );
}, 120_000);

afterAll(async () => {
  // Only this run's own namespaces; shared ones (argocd, a placement's) may be another test's too.
  await deleteNamespaces(
    env,
    created.filter((n) => n.includes(id)),
  );
});

/** The team's AppProject as Argo CD would get it: bootstrap/team-projects rendered by helm over every tenant's values. */
function teamProjects(...teams: RenderedVariant[][]): K8sObject[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "team-projects-"));
  for (const [file, content] of Object.entries(TEAM_PROJECTS_CHART)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  const values = teams
    .flat()
    .flatMap((v) => v.files.filter((f) => f.path.endsWith(`/${PROJECT_VALUES_FILE}`)).map((f) => parse(f.content)));
  return helmTemplate(env, {
    release: "berth-team-projects",
    chart: dir,
    namespace: "argocd",
    values: [...values, { gitopsRepo: REPO, argocdNamespace: "argocd", labelDomain: "berth.io" }],
  });
}

describe("rendered objects on the real API server", () => {
  it("are all of kinds the API server serves (the environment installs the upstream CRDs)", async () => {
    const missing: string[] = [];
    for (const o of objects)
      if (!(await resourceFor(env, o.apiVersion, o.kind))) missing.push(`${o.apiVersion} ${o.kind}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it("pass a server-side dry run with strict field validation", async () => {
    const problems = [...namespaceProblems];
    for (const o of objects) {
      if (o.kind === "Namespace" || !(await resourceFor(env, o.apiVersion, o.kind))) continue; // above
      const p = await dryRunProblem(env, o);
      if (!accepted(o, p)) problems.push(`${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}: ${p}`);
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it("have Kyverno policy rules whose CEL the API server compiles", async () => {
    const policies = objects.filter((o) => o.kind === "NamespacedValidatingPolicy");
    expect(policies.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const p of policies) {
      // The same expressions as a ValidatingAdmissionPolicy, whose CEL Kubernetes itself compiles.
      const vap = {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: `${p.metadata.name}-${id}` },
        spec: {
          matchConstraints: p.spec.matchConstraints,
          variables: p.spec.variables,
          validations: p.spec.validations,
        },
      };
      const problem = await dryRunProblem(env, vap as K8sObject);
      if (problem) problems.push(`${p.metadata.name}: ${problem}`);
    }
    expect(problems).toEqual([]);
    // A broken expression is refused, so the check above can fail.
    const broken = {
      ...policies[0]!,
      spec: { ...policies[0]!.spec, validations: [{ expression: "object.spec.containers.all(c, " }] },
    };
    const vap = {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata: { name: `broken-${id}` },
      spec: { matchConstraints: broken.spec.matchConstraints, validations: broken.spec.validations },
    };
    expect(await dryRunProblem(env, vap as K8sObject)).toMatch(/^422 .*compil/);
  });
});

describe("the team's AppProject (bootstrap/team-projects rendered by helm)", () => {
  it("is one project per team, accepted by the API server", async () => {
    const rendered = teamProjects(a, b);
    const projects = rendered.filter((o) => o.kind === "AppProject").map((o) => o.metadata.name);
    expect(projects.sort()).toEqual([teamProject(teamA), teamProject(teamB)].sort());
    const problems: string[] = [];
    for (const o of rendered) {
      if (o.kind === "Namespace") continue; // created for real in beforeAll (team A's), dry-run there
      const p = await dryRunProblem(env, o);
      if (!accepted(o, p)) problems.push(`${o.kind}/${o.metadata.name}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it("permits every object of the team's tenants and chart Applications, and none of the other team's", async () => {
    const project = teamProjects(a, b).find((o) => o.metadata.name === teamProject(teamA))!.spec as AppProjectSpec;
    const wrong: string[] = [];
    const check = async (o: K8sObject, server: string, mustPermit: boolean) => {
      const [group] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : [""];
      const namespaced = (await resourceFor(env, o.apiVersion, o.kind))?.namespaced ?? upstreamNamespaced(o);
      const permitted = !namespaced
        ? permitsClusterResource(project, group ?? "", o.kind, o.metadata.name)
        : permitsDestination(project, { server }, o.metadata.namespace ?? "");
      if (permitted !== mustPermit)
        wrong.push(
          `${mustPermit ? "denied" : "permitted"}: ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`,
        );
    };
    // The tenant's own Application applies its folder to the management cluster (in-cluster).
    for (const o of renderedObjects(onManagementCluster(a))) await check(o.object as K8sObject, IN_CLUSTER, true);
    // Team B's objects are refused, except in a placement's shared namespace (the supervisor's,
    // Azure Service Operator's): there every team's clusters sit side by side, told apart by name,
    // which an AppProject cannot restrict (its destinations are namespaces).
    for (const o of renderedObjects(b))
      await check(o.object as K8sObject, IN_CLUSTER, SHARED_PLACEMENT_NAMESPACES.has(o.object.metadata?.namespace));
    // What the vCluster chart creates, as Argo CD renders it (helm template) for each Application.
    for (const app of chartApplications(renderedObjects(a), "vcluster")) {
      const dest = app.object.spec.destination;
      const chart = helmTemplate(env, {
        release: app.object.spec.source.helm.releaseName,
        chart: path.join(moduleDir(UPSTREAM.vcluster), "chart"),
        namespace: dest.namespace,
        values: [app.object.spec.source.helm.valuesObject],
      });
      expect(chart.length, app.variant).toBeGreaterThan(5);
      // Node sync from the host makes the chart create its ClusterRole and binding: the case that matters.
      expect(chart.filter((o) => o.kind.startsWith("ClusterRole")).length, app.variant).toBe(2);
      for (const o of chart) {
        const placed = { ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? dest.namespace } };
        await check(placed, dest.server, true);
        // And the API server takes what the chart renders from Berth's values.
        const res = await resourceFor(env, o.apiVersion, o.kind);
        const p = await dryRunProblem(env, res?.namespaced ? placed : o);
        if (!accepted(o, p)) wrong.push(`chart object refused: ${o.kind}/${o.metadata.name}: ${p}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it("refuses a remote host's tenant objects on the management cluster (where the tenant's Application would apply them)", () => {
    const project = teamProjects(a).find((o) => o.metadata.name === teamProject(teamA))!.spec as AppProjectSpec;
    const remote = a.filter((v) => !onManagementCluster([v]).length);
    expect(remote.length).toBeGreaterThan(0);
    for (const o of renderedObjects(remote).filter((x) => x.object.metadata?.namespace?.startsWith("tenant-")))
      expect(permitsDestination(project, { server: IN_CLUSTER }, o.object.metadata.namespace), o.file).toBe(false);
  });
});

const IN_CLUSTER = "https://kubernetes.default.svc";
const SHARED_PLACEMENT_NAMESPACES = new Set(["tenants", "aso-clusters"]); // lib/templates/testdata/placements.yaml

/** Scope from the upstream CRD when the API server does not serve the kind (yet). */
function upstreamNamespaced(o: K8sObject): boolean {
  const [group] = o.apiVersion.split("/");
  const gk = `${group}/${o.kind}`;
  return CRD_FILES[gk] ? loadCrd(gk).spec.scope === "Namespaced" : true;
}

// Tenants whose placement is the management cluster itself: there the folder's objects belong.
// (On a remote host the tenant's Application would still apply them in-cluster: a gap the project
// refuses rather than hides; see the test above.)
function onManagementCluster(variants: RenderedVariant[]): RenderedVariant[] {
  return variants.filter((v) => !v.variant.placement.startsWith("shared-east"));
}
