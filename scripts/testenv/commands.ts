// The test environment's command line (run with node_modules/.bin/tsx):
//
//   tsx scripts/testenv/cli.ts build [--only a,b]         build whatever is missing from the cache
//   tsx scripts/testenv/cli.ts start [--foreground] [--placements a.yaml,default]
//                                                         start; prints the env JSON path
//   tsx scripts/testenv/cli.ts stop [--force]             stop the environment of the state folder
//   tsx scripts/testenv/cli.ts status                     print where it runs, if it runs
import { buildTestEnv } from "./build";
import { startTestEnv } from "./start";
import { readTestEnv, stopTestEnv } from "./stop";
import { defaultLog } from "./util";
import { CACHE_ROOT } from "./versions";

const USAGE =
  "usage: tsx scripts/testenv/cli.ts <build [--only NAME,...] | start [--foreground] [--placements FILE,...] | stop [--force] | status>";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (!v || v.startsWith("--")) throw new Error(`${name} needs a value\n${USAGE}`);
  return v;
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "build": {
      const t = Date.now();
      const res = await buildTestEnv({ only: option(rest, "--only")?.split(",") });
      for (const [name, r] of Object.entries(res)) {
        const how = r.cached ? `cached (built in ${r.seconds}s)` : `built in ${r.seconds}s`;
        console.log(`${name.padEnd(24)} ${r.version.padEnd(13)} ${how}  ${r.path}`);
      }
      console.log(`total ${((Date.now() - t) / 1000).toFixed(1)}s; cache: ${CACHE_ROOT}`);
      return;
    }
    case "start": {
      const foreground = rest.includes("--foreground");
      const placements = option(rest, "--placements")?.split(",");
      const env = await startTestEnv({ detach: !foreground, placements });
      console.log(env.envFile);
      if (foreground) {
        defaultLog("running; press Ctrl-C to stop");
        await new Promise(() => {}); // the SIGINT handler stops everything and exits
      } else {
        defaultLog("running in the background; stop with: node_modules/.bin/tsx scripts/testenv/cli.ts stop");
      }
      return;
    }
    case "stop": {
      const had = await stopTestEnv({ force: rest.includes("--force") });
      defaultLog(had ? "stopped" : "nothing to stop");
      return;
    }
    case "status": {
      const env = readTestEnv();
      if (!env) {
        defaultLog("not running");
        process.exitCode = 1;
        return;
      }
      const { envFile, processes } = env;
      const where = { kubernetes: env.kubernetes.server, gitea: env.gitea.url, argocd: env.argocd.namespace };
      console.log(JSON.stringify({ envFile, ...where, processes }, null, 2));
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(`[test-env] ${err.stack ?? err}`);
  process.exit(1);
});
