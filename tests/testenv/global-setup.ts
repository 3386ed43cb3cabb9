// Vitest globalSetup for the real test environment (scripts/testenv/: kube-apiserver + etcd, the
// controllers and kwok, Gitea, helm, Argo CD).
// - If BERTH_TESTENV_FILE already names an existing env file, or an environment started with
//   `node_modules/.bin/tsx scripts/testenv/cli.ts start` is running, that one is reused and left running.
// - Otherwise the environment is started here (building missing binaries on the very first run)
//   and stopped in the teardown; if the interrupted process dies, its exit/signal handlers
//   kill the process groups. Workers read it through process.env.BERTH_TESTENV_FILE.
import fs from "node:fs";
import { readTestEnv, startTestEnv } from "../../scripts/testenv/index";

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.BERTH_TESTENV_FILE;
  if (given && fs.existsSync(given)) return undefined;
  // Share an environment started with the CLI (detached); one owned by another test run is
  // left alone (startTestEnv then uses a folder of its own).
  const running = readTestEnv();
  if (running?.detached) {
    process.env.BERTH_TESTENV_FILE = running.envFile;
    return undefined;
  }
  const env = await startTestEnv();
  process.env.BERTH_TESTENV_FILE = env.envFile;
  return async () => {
    await env.stop();
  };
}
