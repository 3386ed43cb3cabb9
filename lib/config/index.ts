import "server-only";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { loadPlacements, type Placement } from "./placements";
import { envSchema, type Env } from "./schema";

export type AuthProviderConfig =
  | { kind: "dev"; issuer: string; clientId: string; clientSecret: string }
  | { kind: "entra"; tenantId: string; clientId: string; clientSecret: string; graphUrl: string }
  | {
      kind: "oidc";
      issuer: string;
      clientId: string;
      clientSecret: string;
      name: string;
      scopes: string;
      groupsClaim: string;
    };

export type Config = {
  env: Env["NODE_ENV"];
  host: string;
  port: number;
  baseUrl: string;
  dataDir: string;
  database: { url: string | undefined; embeddedPort: number; poolMax: number };
  auth: {
    secret: string | undefined;
    provider: AuthProviderConfig;
    groupPrefix: string;
    adminGroup: string;
    devInProduction: boolean;
  };
  trustProxy: boolean;
  logLevel: Env["BERTH_LOG_LEVEL"];
  placements: Placement[];
  labelDomain: string;
  gitops: {
    provider: Env["BERTH_GITOPS_PROVIDER"];
    localPath: string;
    url: string | undefined;
    repo: string | undefined;
    token: string | undefined;
    cloneUrl: string | undefined;
    baseBranch: string;
    webhookSecret: string | undefined;
  };
  cluster: {
    mode: "none" | "kubeconfig" | "in-cluster";
    kubeconfig: string | undefined;
    context: string | undefined;
    argocdNamespace: string;
    refreshOnMerge: boolean;
    staleAfterSeconds: number;
    leaseNamespace: string;
    kubectlClientId: string;
  };
  notifications: {
    smtpUrl: string | undefined;
    smtpFrom: string;
    teamsWebhook: string | undefined;
    slackWebhook: string | undefined;
  };
  sandboxes: { reminderHours: number; placement: string | undefined };
  quotas: { tenantsPerTeam: number; cpuMillisPerTeam: number; memoryMibPerTeam: number; sandboxesPerUser: number };
};

/** Bad settings: Berth does not start (an operator's problem, never shown to a user). */
export class ConfigError extends AppError {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      "internal",
      `Berth cannot start: invalid configuration\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

// The dev provider's client credentials are public by design: it only exists with demo users.
export const DEV_OIDC_CLIENT = { clientId: "berth-dev", clientSecret: "berth-dev-secret-not-for-production" };

/** Parses and cross-checks settings; throws ConfigError naming every bad variable. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most deployment tools' env handling.
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "?"), message: i.message })));
  }
  const e = parsed.data;
  const problems: { variable: string; message: string }[] = [];
  const need = (variable: keyof Env, why: string) => {
    if (e[variable] === undefined) problems.push({ variable, message: `required ${why}` });
  };
  const production = e.NODE_ENV === "production";
  const providerKind = e.BERTH_AUTH_PROVIDER ?? (!production || e.BERTH_ALLOW_DEV_OIDC ? "dev" : undefined);
  const baseUrl = e.BERTH_URL ?? `http://localhost:${e.PORT}`;
  let provider: AuthProviderConfig | undefined;

  if (providerKind === undefined) {
    problems.push({
      variable: "BERTH_AUTH_PROVIDER",
      message: "required in production: entra or oidc (or dev with BERTH_ALLOW_DEV_OIDC=true)",
    });
  } else if (providerKind === "dev") {
    if (production && !e.BERTH_ALLOW_DEV_OIDC) {
      problems.push({
        variable: "BERTH_ALLOW_DEV_OIDC",
        message:
          "the development OIDC provider (demo users, no passwords) refuses to run with NODE_ENV=production unless this is true",
      });
    }
    provider = { kind: "dev", issuer: `${baseUrl}/oidc`, ...DEV_OIDC_CLIENT };
  } else if (providerKind === "entra") {
    need("BERTH_ENTRA_TENANT_ID", "when BERTH_AUTH_PROVIDER=entra");
    need("BERTH_ENTRA_CLIENT_ID", "when BERTH_AUTH_PROVIDER=entra");
    need("BERTH_ENTRA_CLIENT_SECRET", "when BERTH_AUTH_PROVIDER=entra");
    need("BERTH_ADMIN_GROUP", "when BERTH_AUTH_PROVIDER=entra (the Entra group object ID of platform admins)");
    provider = {
      kind: "entra",
      tenantId: e.BERTH_ENTRA_TENANT_ID ?? "",
      clientId: e.BERTH_ENTRA_CLIENT_ID ?? "",
      clientSecret: e.BERTH_ENTRA_CLIENT_SECRET ?? "",
      graphUrl: e.BERTH_GRAPH_URL,
    };
  } else {
    need("BERTH_OIDC_ISSUER", "when BERTH_AUTH_PROVIDER=oidc");
    need("BERTH_OIDC_CLIENT_ID", "when BERTH_AUTH_PROVIDER=oidc");
    need("BERTH_OIDC_CLIENT_SECRET", "when BERTH_AUTH_PROVIDER=oidc");
    need("BERTH_ADMIN_GROUP", "when BERTH_AUTH_PROVIDER=oidc (the group whose members are platform admins)");
    provider = {
      kind: "oidc",
      issuer: e.BERTH_OIDC_ISSUER ?? "",
      clientId: e.BERTH_OIDC_CLIENT_ID ?? "",
      clientSecret: e.BERTH_OIDC_CLIENT_SECRET ?? "",
      name: e.BERTH_OIDC_NAME,
      scopes: e.BERTH_OIDC_SCOPES,
      groupsClaim: e.BERTH_OIDC_GROUPS_CLAIM,
    };
  }
  const devDefaults = providerKind === "dev";
  if (production && !devDefaults && !e.AUTH_SECRET) need("AUTH_SECRET", "in production");
  const groupPrefix = e.BERTH_GROUP_PREFIX ?? "";
  const adminGroup = e.BERTH_ADMIN_GROUP ?? (devDefaults ? "berth-platform-admins" : "");
  const effectivePrefix = devDefaults && !source.BERTH_GROUP_PREFIX ? "berth-" : groupPrefix;
  if (adminGroup && effectivePrefix && !adminGroup.startsWith(effectivePrefix)) {
    problems.push({
      variable: "BERTH_ADMIN_GROUP",
      message: `must start with BERTH_GROUP_PREFIX "${effectivePrefix}", or no one could ever be admin`,
    });
  }
  if (e.BERTH_GITOPS_PROVIDER !== "local") {
    need("BERTH_GITOPS_REPO", `when BERTH_GITOPS_PROVIDER=${e.BERTH_GITOPS_PROVIDER}`);
    need("BERTH_GITOPS_TOKEN", `when BERTH_GITOPS_PROVIDER=${e.BERTH_GITOPS_PROVIDER}`);
    need(
      "BERTH_GITOPS_WEBHOOK_SECRET",
      `when BERTH_GITOPS_PROVIDER=${e.BERTH_GITOPS_PROVIDER} (webhooks are refused without it)`,
    );
    if (e.BERTH_GITOPS_PROVIDER === "gitea")
      need("BERTH_GITOPS_URL", "when BERTH_GITOPS_PROVIDER=gitea (the Gitea server URL)");
  }
  if (e.BERTH_KUBECONFIG && e.BERTH_KUBE_IN_CLUSTER) {
    problems.push({
      variable: "BERTH_KUBE_IN_CLUSTER",
      message: "set either BERTH_KUBECONFIG or BERTH_KUBE_IN_CLUSTER=true, not both",
    });
  }
  let placements: Placement[] = [];
  try {
    placements = loadPlacements(e.BERTH_PLACEMENTS_FILE);
  } catch (err) {
    problems.push({ variable: "BERTH_PLACEMENTS_FILE", message: (err as Error).message });
  }
  if (problems.length > 0 || !provider) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    host: e.BERTH_HOST,
    port: e.PORT,
    baseUrl,
    dataDir: path.resolve(e.BERTH_DATA_DIR),
    database: { url: e.DATABASE_URL, embeddedPort: e.BERTH_EMBEDDED_PG_PORT, poolMax: e.BERTH_DB_POOL_MAX },
    auth: {
      secret: e.AUTH_SECRET,
      provider,
      groupPrefix: effectivePrefix,
      adminGroup,
      devInProduction: production && devDefaults,
    },
    trustProxy: e.BERTH_TRUST_PROXY,
    logLevel: e.BERTH_LOG_LEVEL,
    placements,
    labelDomain: e.BERTH_LABEL_DOMAIN,
    gitops: {
      provider: e.BERTH_GITOPS_PROVIDER,
      localPath: path.resolve(e.BERTH_GITOPS_LOCAL_PATH ?? path.join(e.BERTH_DATA_DIR, "gitops.git")),
      url: e.BERTH_GITOPS_URL,
      repo: e.BERTH_GITOPS_REPO,
      token: e.BERTH_GITOPS_TOKEN,
      cloneUrl: e.BERTH_GITOPS_CLONE_URL,
      baseBranch: e.BERTH_GITOPS_BASE_BRANCH,
      webhookSecret: e.BERTH_GITOPS_WEBHOOK_SECRET,
    },
    cluster: {
      mode: e.BERTH_KUBE_IN_CLUSTER ? "in-cluster" : e.BERTH_KUBECONFIG ? "kubeconfig" : "none",
      kubeconfig: e.BERTH_KUBECONFIG ? path.resolve(e.BERTH_KUBECONFIG) : undefined,
      context: e.BERTH_KUBE_CONTEXT,
      argocdNamespace: e.BERTH_ARGOCD_NAMESPACE,
      refreshOnMerge: e.BERTH_ARGOCD_REFRESH,
      staleAfterSeconds: e.BERTH_STATUS_STALE_SECONDS,
      leaseNamespace: e.BERTH_LEASE_NAMESPACE,
      kubectlClientId: e.BERTH_KUBECTL_OIDC_CLIENT_ID,
    },
    notifications: {
      smtpUrl: e.BERTH_SMTP_URL,
      smtpFrom: e.BERTH_SMTP_FROM,
      teamsWebhook: e.BERTH_TEAMS_WEBHOOK_URL,
      slackWebhook: e.BERTH_SLACK_WEBHOOK_URL,
    },
    sandboxes: { reminderHours: e.BERTH_SANDBOX_REMINDER_HOURS, placement: e.BERTH_SANDBOX_PLACEMENT },
    quotas: {
      tenantsPerTeam: e.BERTH_QUOTA_TENANTS_PER_TEAM,
      cpuMillisPerTeam: Math.round(e.BERTH_QUOTA_CPU_PER_TEAM * 1000),
      memoryMibPerTeam: Math.round(e.BERTH_QUOTA_MEMORY_GIB_PER_TEAM * 1024),
      sandboxesPerUser: e.BERTH_QUOTA_SANDBOXES_PER_USER,
    },
  };
}

type Runtime = { databaseUrl: string; authSecret: string };
const store = globalThis as typeof globalThis & { __berthConfig?: Config; __berthRuntime?: Runtime };

/** The validated configuration, parsed once per process. */
export function getConfig(): Config {
  store.__berthConfig ??= parseConfig(process.env);
  return store.__berthConfig;
}

/** Tests change settings between files; production never calls this. */
export function resetConfigForTests(): void {
  store.__berthConfig = undefined;
}

/** Values resolved at start-up (embedded database URL, generated secret); set by the server. */
export function setRuntime(runtime: Runtime): void {
  store.__berthRuntime = runtime;
  // Auth.js reads its own variables; this is the one place Berth hands them over.
  process.env.AUTH_URL ??= `${getConfig().baseUrl}/api/auth`;
}

export function getRuntime(): Runtime {
  if (!store.__berthRuntime) {
    throw new Error("Berth runtime not initialised: start Berth with `npm start` (server.ts), not `next start`");
  }
  return store.__berthRuntime;
}
