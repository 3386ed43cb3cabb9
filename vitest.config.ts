import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // Tests are server code: the server-only marker's empty entry (Next.js picks it by the
  // react-server condition; see lib/entry/server-only-hook.ts for Berth's Node programs).
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/*.live.test.ts", "**/*.upstream.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts", "tests/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/postgres-global-setup.ts"],
          setupFiles: ["tests/support/db-setup.ts"],
          // One database for the project: files run one after another, each test resets it.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // Rendered objects checked by upstream projects' own Go code (testenv/<checker>, built once
          // into ~/.cache/berth/upstream; the first build takes minutes).
          name: "upstream",
          include: ["lib/**/*.upstream.test.ts"],
          environment: "node",
          testTimeout: 20 * 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "testenv",
          include: ["tests/testenv/**/*.test.ts", "lib/**/*.live.test.ts"],
          environment: "node",
          // kube-apiserver + etcd, controllers, kwok, Gitea, helm and Argo CD built from Go modules (scripts/testenv/);
          // the first run on a machine builds them, hence the long hook timeout.
          globalSetup: ["tests/support/postgres-global-setup.ts", "tests/testenv/global-setup.ts"],
          setupFiles: ["tests/support/db-setup.ts"],
          fileParallelism: false,
          hookTimeout: 60 * 60_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
