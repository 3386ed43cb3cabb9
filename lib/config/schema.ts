import { z } from "zod";

// Every setting Berth reads, with its default and meaning. The README table is generated
// from this list (scripts/config-table.ts), so the two never drift apart.
export type SettingDoc = { name: string; default: string; meaning: string };

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const port = z.coerce
  .number({ error: "expected a port number" })
  .int("expected a whole number")
  .min(1, "expected a port between 1 and 65535")
  .max(65535, "expected a port between 1 and 65535");

const httpUrl = z
  .url({ error: "expected an absolute http(s) URL" })
  .refine((v) => /^https?:\/\//.test(v), "expected an http:// or https:// URL")
  .transform((v) => v.replace(/\/+$/, ""));

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "expected postgres://user:password@host:port/database");

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  BERTH_HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(3000),
  BERTH_URL: httpUrl.optional(),
  BERTH_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: postgresUrl.optional(),
  BERTH_EMBEDDED_PG_PORT: port.default(54329),
  BERTH_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  AUTH_SECRET: z.string().min(32, "expected at least 32 characters (openssl rand -base64 33)").optional(),
  BERTH_AUTH_PROVIDER: z.enum(["dev", "entra", "oidc"], { error: "expected dev, entra or oidc" }).optional(),
  BERTH_ALLOW_DEV_OIDC: bool.default(false),
  BERTH_ENTRA_TENANT_ID: z
    .string()
    .regex(/^[0-9a-f-]{36}$|^[a-z0-9.-]+$/i, "expected a tenant GUID or domain")
    .optional(),
  BERTH_ENTRA_CLIENT_ID: z.string().min(1).optional(),
  BERTH_ENTRA_CLIENT_SECRET: z.string().min(1).optional(),
  BERTH_GRAPH_URL: httpUrl.default("https://graph.microsoft.com"),
  BERTH_OIDC_ISSUER: httpUrl.optional(),
  BERTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  BERTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  BERTH_OIDC_NAME: z.string().min(1).max(60).default("Single sign-on"),
  BERTH_OIDC_SCOPES: z
    .string()
    .default("openid profile email groups")
    .refine((v) => v.split(/\s+/).includes("openid"), "expected a space-separated list that includes openid"),
  BERTH_OIDC_GROUPS_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_.:/-]+$/, "expected a claim name")
    .default("groups"),
  BERTH_GROUP_PREFIX: z.string().default(""),
  BERTH_ADMIN_GROUP: z.string().min(1).optional(),
  BERTH_TRUST_PROXY: bool.default(false),
  BERTH_PLACEMENTS_FILE: z.string().min(1).optional(),
  BERTH_LABEL_DOMAIN: z
    .string()
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, "expected a DNS domain such as berth.io")
    .default("berth.io"),
  BERTH_GITOPS_PROVIDER: z
    .enum(["local", "gitea", "github", "gitlab", "azure-devops"], {
      error: "expected local, gitea, github, gitlab or azure-devops",
    })
    .default("local"),
  BERTH_GITOPS_LOCAL_PATH: z.string().min(1).optional(),
  BERTH_GITOPS_URL: httpUrl.optional(),
  BERTH_GITOPS_REPO: z
    .string()
    .regex(
      /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._ -]+){1,3}$/,
      "expected owner/repo (Azure DevOps: organization/project/repository)",
    )
    .optional(),
  BERTH_GITOPS_TOKEN: z.string().min(1).optional(),
  BERTH_GITOPS_CLONE_URL: z
    .string()
    .regex(
      /^(https?|ssh|git|file):\/\/.+|^[\w.-]+@[\w.-]+:.+/,
      "expected a Git clone URL (https://…, ssh://…, git@host:path or file://…)",
    )
    .optional(),
  BERTH_GITOPS_BASE_BRANCH: z
    .string()
    .regex(/^[A-Za-z0-9._/-]{1,100}$/, "expected a branch name")
    .default("main"),
  BERTH_GITOPS_WEBHOOK_SECRET: z.string().min(16, "expected at least 16 characters").optional(),
  BERTH_QUOTA_TENANTS_PER_TEAM: z.coerce.number().int().min(0).default(20),
  BERTH_QUOTA_CPU_PER_TEAM: z.coerce.number().min(0).default(64),
  BERTH_QUOTA_MEMORY_GIB_PER_TEAM: z.coerce.number().min(0).default(128),
  BERTH_QUOTA_SANDBOXES_PER_USER: z.coerce.number().int().min(0).default(1),
  BERTH_KUBECONFIG: z.string().min(1).optional(),
  BERTH_KUBE_CONTEXT: z.string().min(1).optional(),
  BERTH_KUBE_IN_CLUSTER: bool.default(false),
  BERTH_ARGOCD_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "expected a namespace name")
    .default("argocd"),
  BERTH_ARGOCD_REFRESH: bool.default(true),
  BERTH_STATUS_STALE_SECONDS: z.coerce.number().int().min(10, "expected at least 10 seconds").default(300),
  BERTH_LEASE_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "expected a namespace name")
    .default("default"),
  BERTH_KUBECTL_OIDC_CLIENT_ID: z.string().min(1).default("kubernetes"),
  BERTH_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, "expected smtp://user:pass@host:port or smtps://…")
    .optional(),
  BERTH_SMTP_FROM: z
    .string()
    .regex(/^[^\s@<>]+@[^\s@<>]+$|^.+ <[^\s@<>]+@[^\s@<>]+>$/, "expected an address, e.g. Berth <berth@example.com>")
    .default("Berth <berth@localhost>"),
  BERTH_TEAMS_WEBHOOK_URL: httpUrl.optional(),
  BERTH_SLACK_WEBHOOK_URL: httpUrl.optional(),
  BERTH_SANDBOX_REMINDER_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  BERTH_SANDBOX_PLACEMENT: z.string().optional(),
  BERTH_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

export const settingDocs: SettingDoc[] = [
  { name: "PORT", default: "3000", meaning: "HTTP port Berth listens on." },
  { name: "BERTH_HOST", default: "127.0.0.1", meaning: "Interface to bind; use 0.0.0.0 in a container." },
  { name: "BERTH_URL", default: "http://localhost:$PORT", meaning: "Public base URL (links, OIDC redirect URIs)." },
  {
    name: "BERTH_DATA_DIR",
    default: ".data",
    meaning: "Folder for embedded PostgreSQL data and the generated dev secret (git-ignored).",
  },
  {
    name: "DATABASE_URL",
    default: "(unset: embedded PostgreSQL)",
    meaning: "PostgreSQL connection string; when set, Berth starts no database of its own.",
  },
  { name: "BERTH_EMBEDDED_PG_PORT", default: "54329", meaning: "Loopback port of the embedded PostgreSQL." },
  { name: "BERTH_DB_POOL_MAX", default: "10", meaning: "Maximum PostgreSQL connections per Berth process." },
  {
    name: "AUTH_SECRET",
    default: "(generated in the data folder outside production)",
    meaning: "Secret that encrypts session cookies; required in production, 32+ characters.",
  },
  {
    name: "BERTH_AUTH_PROVIDER",
    default: "dev (outside production)",
    meaning: "Sign-in provider: entra, oidc or dev (the built-in development OIDC provider).",
  },
  {
    name: "BERTH_ALLOW_DEV_OIDC",
    default: "false",
    meaning: "Allow the development OIDC provider when NODE_ENV=production (logs a warning at every start).",
  },
  {
    name: "BERTH_ENTRA_TENANT_ID",
    default: "—",
    meaning: "Entra ID tenant (GUID or domain) for BERTH_AUTH_PROVIDER=entra.",
  },
  { name: "BERTH_ENTRA_CLIENT_ID", default: "—", meaning: "Entra ID application (client) ID." },
  { name: "BERTH_ENTRA_CLIENT_SECRET", default: "—", meaning: "Entra ID client secret." },
  {
    name: "BERTH_GRAPH_URL",
    default: "https://graph.microsoft.com",
    meaning: "Microsoft Graph endpoint used to resolve group overage.",
  },
  {
    name: "BERTH_OIDC_ISSUER",
    default: "—",
    meaning: "Issuer URL for BERTH_AUTH_PROVIDER=oidc (Keycloak, Dex, Authentik…).",
  },
  { name: "BERTH_OIDC_CLIENT_ID", default: "—", meaning: "OIDC client ID." },
  { name: "BERTH_OIDC_CLIENT_SECRET", default: "—", meaning: "OIDC client secret." },
  { name: "BERTH_OIDC_NAME", default: "Single sign-on", meaning: "Label of the sign-in button." },
  {
    name: "BERTH_OIDC_SCOPES",
    default: "openid profile email groups",
    meaning: "Scopes requested from the OIDC provider.",
  },
  { name: "BERTH_OIDC_GROUPS_CLAIM", default: "groups", meaning: "Name of the token claim holding the user's groups." },
  {
    name: "BERTH_GROUP_PREFIX",
    default: "(none; dev: berth-)",
    meaning: "Only groups starting with this prefix are kept from the token.",
  },
  {
    name: "BERTH_ADMIN_GROUP",
    default: "(dev: berth-platform-admins)",
    meaning: "Directory group whose members are platform admins; required for entra/oidc.",
  },
  {
    name: "BERTH_TRUST_PROXY",
    default: "false",
    meaning: "Take the client IP for audit events from X-Forwarded-For (behind a trusted proxy).",
  },
  {
    name: "BERTH_PLACEMENTS_FILE",
    default: "(one vcluster-host target: the management cluster)",
    meaning:
      "YAML file listing placement targets: vCluster host clusters with node pools, Tanzu supervisor " +
      "namespaces, AKS subscriptions (see config/placements.example.yaml).",
  },
  {
    name: "BERTH_LABEL_DOMAIN",
    default: "berth.io",
    meaning: "Prefix of the labels on every rendered object (<domain>/tenant, /team, /request).",
  },
  {
    name: "BERTH_GITOPS_PROVIDER",
    default: "local",
    meaning:
      "Where pull requests are opened: local (a bare Git repository kept by Berth), gitea, github, gitlab or azure-devops.",
  },
  {
    name: "BERTH_GITOPS_LOCAL_PATH",
    default: "$BERTH_DATA_DIR/gitops.git",
    meaning: "The local provider's bare repository (created on first start).",
  },
  {
    name: "BERTH_GITOPS_URL",
    default: "(forge default)",
    meaning:
      "Forge API base URL: Gitea server, GitHub API (https://api.github.com), GitLab host, https://dev.azure.com.",
  },
  {
    name: "BERTH_GITOPS_REPO",
    default: "—",
    meaning:
      "GitOps repository: owner/repo (Gitea, GitHub), group/project (GitLab), organization/project/repository (Azure DevOps).",
  },
  {
    name: "BERTH_GITOPS_TOKEN",
    default: "—",
    meaning: "Forge access token (PAT) with rights to push branches, open, comment on and merge pull requests.",
  },
  {
    name: "BERTH_GITOPS_CLONE_URL",
    default: "(derived from the forge settings)",
    meaning: "The repository URL Argo CD clones, written into the bootstrap ApplicationSet.",
  },
  {
    name: "BERTH_GITOPS_BASE_BRANCH",
    default: "main",
    meaning: "Branch Argo CD deploys from; pull requests target it.",
  },
  {
    name: "BERTH_GITOPS_WEBHOOK_SECRET",
    default: "—",
    meaning: "Shared secret of the forge webhook (/api/webhooks/<provider>); required for forges.",
  },
  {
    name: "BERTH_QUOTA_TENANTS_PER_TEAM",
    default: "20",
    meaning: "Default maximum of live tenants per team (per-team overrides in the database).",
  },
  {
    name: "BERTH_QUOTA_CPU_PER_TEAM",
    default: "64",
    meaning: "Default maximum CPU cores of a team's requested sizes.",
  },
  {
    name: "BERTH_QUOTA_MEMORY_GIB_PER_TEAM",
    default: "128",
    meaning: "Default maximum memory (GiB) of a team's requested sizes.",
  },
  { name: "BERTH_QUOTA_SANDBOXES_PER_USER", default: "1", meaning: "Sandboxes one person may hold at a time." },
  {
    name: "BERTH_KUBECONFIG",
    default: "(none: no management cluster)",
    meaning: "Kubeconfig of the management cluster Berth reads status from.",
  },
  { name: "BERTH_KUBE_CONTEXT", default: "(current context)", meaning: "Context to use from BERTH_KUBECONFIG." },
  {
    name: "BERTH_KUBE_IN_CLUSTER",
    default: "false",
    meaning: "Use the pod's service account instead of a kubeconfig (Berth running in the management cluster).",
  },
  { name: "BERTH_ARGOCD_NAMESPACE", default: "argocd", meaning: "Namespace of Argo CD's Applications." },
  {
    name: "BERTH_ARGOCD_REFRESH",
    default: "true",
    meaning: "After a merge, ask Argo CD to refresh the tenant's Application instead of waiting for its 3-minute poll.",
  },
  {
    name: "BERTH_STATUS_STALE_SECONDS",
    default: "300",
    meaning: "Status not confirmed by the cluster for this long (or while the watch is down) is shown as stale.",
  },
  {
    name: "BERTH_LEASE_NAMESPACE",
    default: "default",
    meaning: "Namespace of the Lease that picks the one replica watching the cluster.",
  },
  {
    name: "BERTH_KUBECTL_OIDC_CLIENT_ID",
    default: "kubernetes",
    meaning: "OIDC client the downloaded kubeconfigs sign in with (kubelogin, same identity provider as Berth).",
  },
  { name: "BERTH_SMTP_URL", default: "(no e-mail)", meaning: "SMTP server for notification e-mails (nodemailer URL)." },
  { name: "BERTH_SMTP_FROM", default: "Berth <berth@localhost>", meaning: "Sender of notification e-mails." },
  {
    name: "BERTH_TEAMS_WEBHOOK_URL",
    default: "(none)",
    meaning: "Microsoft Teams incoming webhook for notifications.",
  },
  { name: "BERTH_SLACK_WEBHOOK_URL", default: "(none)", meaning: "Slack incoming webhook for notifications." },
  {
    name: "BERTH_SANDBOX_REMINDER_HOURS",
    default: "24",
    meaning: "How long before a sandbox expires its owner is reminded.",
  },
  {
    name: "BERTH_SANDBOX_PLACEMENT",
    default: "(first vCluster host and pool)",
    meaning: "Placement (target/pool) of one-click sandboxes.",
  },
  { name: "BERTH_LOG_LEVEL", default: "info", meaning: "pino log level." },
];
