import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./index";

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.variable}: ${p.message}`);
    throw err;
  }
  return [];
}

describe("parseConfig", () => {
  it("starts with embedded defaults outside production", () => {
    const c = parseConfig({});
    expect(c.port).toBe(3000);
    expect(c.baseUrl).toBe("http://localhost:3000");
    expect(c.database.url).toBeUndefined();
    expect(c.auth.provider).toMatchObject({ kind: "dev", issuer: "http://localhost:3000/oidc" });
    expect(c.auth.groupPrefix).toBe("berth-");
    expect(c.auth.adminGroup).toBe("berth-platform-admins");
  });

  it("names the variable and the expectation for a bad value", () => {
    expect(problems({ PORT: "http" })).toEqual(["PORT: expected a port number"]);
    expect(problems({ PORT: "70000" })[0]).toMatch(/^PORT: expected a port between 1 and 65535/);
    expect(problems({ DATABASE_URL: "mysql://x" })[0]).toMatch(/^DATABASE_URL: expected postgres:\/\//);
    expect(problems({ BERTH_URL: "localhost:3000" })[0]).toMatch(/^BERTH_URL: /);
    expect(problems({ BERTH_AUTH_PROVIDER: "saml" })[0]).toBe("BERTH_AUTH_PROVIDER: expected dev, entra or oidc");
  });

  it("refuses the development provider in production unless explicitly allowed", () => {
    expect(problems({ NODE_ENV: "production", BERTH_AUTH_PROVIDER: "dev" })[0]).toMatch(/^BERTH_ALLOW_DEV_OIDC: /);
    const c = parseConfig({ NODE_ENV: "production", BERTH_ALLOW_DEV_OIDC: "true" });
    expect(c.auth.provider.kind).toBe("dev");
    expect(c.auth.devInProduction).toBe(true);
  });

  it("requires a provider and a secret in production", () => {
    expect(problems({ NODE_ENV: "production" }).map((p) => p.split(":")[0])).toEqual([
      "BERTH_AUTH_PROVIDER",
      "AUTH_SECRET",
    ]);
  });

  it("lists every missing Entra ID setting at once", () => {
    const vars = problems({ BERTH_AUTH_PROVIDER: "entra" }).map((p) => p.split(":")[0]);
    expect(vars).toEqual([
      "BERTH_ENTRA_TENANT_ID",
      "BERTH_ENTRA_CLIENT_ID",
      "BERTH_ENTRA_CLIENT_SECRET",
      "BERTH_ADMIN_GROUP",
    ]);
  });

  it("accepts a complete generic OIDC setup with its groups claim", () => {
    const c = parseConfig({
      BERTH_AUTH_PROVIDER: "oidc",
      BERTH_OIDC_ISSUER: "https://keycloak.example/realms/x/",
      BERTH_OIDC_CLIENT_ID: "berth",
      BERTH_OIDC_CLIENT_SECRET: "s",
      BERTH_ADMIN_GROUP: "platform",
      BERTH_OIDC_GROUPS_CLAIM: "roles",
    });
    expect(c.auth.provider).toMatchObject({
      kind: "oidc",
      issuer: "https://keycloak.example/realms/x",
      groupsClaim: "roles",
    });
    expect(c.auth.groupPrefix).toBe("");
  });

  it("refuses an admin group that the prefix filter would always drop", () => {
    expect(problems({ BERTH_GROUP_PREFIX: "k8s-", BERTH_ADMIN_GROUP: "platform" })[0]).toMatch(
      /^BERTH_ADMIN_GROUP: must start with/,
    );
  });

  it("treats empty strings as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", PORT: "" }).port).toBe(3000);
  });
});
