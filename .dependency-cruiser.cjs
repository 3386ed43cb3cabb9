// Import rules of Berth (DEVELOPERS.md, "Layers"): `npm run lint` fails on a cycle or on an import
// against the layer order. Each layer may import only the layers listed before it.
//
//   ground   config, log, errors, db (+ db/schema), http, jobs (the queue), ui
//   domains  auth → audit → notifications → teams → gitops → templates → tenants → requests
//            → cluster → status → sandboxes
//   entry    lib/entry (server actions, route logic, Auth.js, boot, job wiring), app/, components/

// Ground folders in their own order: a later one may import an earlier one.
const GROUND = ["errors", "config", "log", "db", "http", "jobs", "ui"];
// Domain services, lowest first.
const DOMAINS = [
  "auth",
  "audit",
  "notifications",
  "teams",
  "gitops",
  "templates",
  "tenants",
  "requests",
  "cluster",
  "status",
  "sandboxes",
];
const LIB_FOLDERS = [...GROUND, ...DOMAINS, "entry"];

// Tests and their helpers sit above every layer (they set up whatever they test); they are still
// held to no-circular.
const TESTS = "(\\.(int|live)?\\.?test\\.tsx?$|/test-support\\.ts$|/live-test-support\\.ts$|/testing/)";

const folders = (names) => `^lib/(${names.join("|")})/`;

/** One rule per lib folder: nothing from the folders after it in LIB_FOLDERS. */
const layerRules = LIB_FOLDERS.slice(0, -1).map((name, i) => {
  const above = LIB_FOLDERS.slice(i + 1);
  const layer = GROUND.includes(name) ? "ground" : "domain";
  return {
    name: `layer-${name}`,
    comment: `lib/${name} (${layer}) may import only ${LIB_FOLDERS.slice(0, i).join(", ") || "packages"}: not ${above.join(", ")}`,
    severity: "error",
    from: { path: `^lib/${name}/`, pathNot: TESTS },
    to: { path: folders(above) },
  };
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "An import cycle: split the shared part out or move it down a layer.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: "db-schema-is-ground",
      comment: "db/ holds table definitions and migrations; it imports nothing of Berth's.",
      severity: "error",
      from: { path: "^db/" },
      to: { path: "^(lib|app|components)/" },
    },
    {
      name: "no-lib-to-app",
      comment: "lib/ (every layer, the entry layer too) never imports pages, routes or components.",
      severity: "error",
      from: { path: "^lib/", pathNot: TESTS },
      to: { path: "^(app|components)/" },
    },
    {
      name: "no-components-to-app",
      comment: "Components are used by pages, not the other way round.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "no-components-to-db",
      comment: "Components get data from pages or domain queries, never from the database directly.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^(db|lib/db)/" },
    },
    {
      name: "no-unknown-lib-folder",
      comment: `A new lib/ folder needs a place in the layer order of .dependency-cruiser.cjs (and DEVELOPERS.md).`,
      severity: "error",
      from: {},
      to: { path: "^lib/[^/]+/", pathNot: folders(LIB_FOLDERS) },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that does not resolve (a moved or deleted file).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|\\.data|testenv)/" },
    // Type-only imports count: a type import across layers is a dependency on the module's shape.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mts", ".mjs", ".js", ".d.ts", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
