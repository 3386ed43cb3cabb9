import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevOidcProvider } from "./provider";

// The development provider on a loopback server, driven through a real authorization-code flow.
let server: Server;
let base = "";
const client = { clientId: "berth-dev", clientSecret: "s3cret-s3cret-s3cret" };
const redirectUri = "http://127.0.0.1:9/api/auth/callback/dev";

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = createDevOidcProvider({
    issuer: `${base}/oidc`,
    redirectUris: [redirectUri],
    cookieSecret: "cookie-secret-for-tests-0123456789",
    ...client,
  });
});
let handler: ReturnType<typeof createDevOidcProvider>;
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** fetch with a cookie jar and manual redirects, the way a browser walks the flow. */
function browser() {
  const jar = new Map<string, string>();
  return async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, base), {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as object), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair!.split("=");
      jar.set(k!, v ?? "");
    }
    return res;
  };
}

async function authorize(user: string) {
  const go = browser();
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const q = new URLSearchParams({
    client_id: client.clientId,
    response_type: "code",
    scope: "openid profile email groups",
    redirect_uri: redirectUri,
    state: "st",
    nonce: "nn",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  let res = await go(`/oidc/auth?${q}`);
  const interaction = res.headers.get("location")!;
  expect(interaction).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
  const page = await (await go(interaction)).text();
  expect(page).toContain(`data-testid="demo-user-${user}"`);
  res = await go(`${interaction}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `user=${user}`,
  });
  // Resume → (consent granted by policy) → back to the client with a code.
  for (let i = 0; i < 5 && !res.headers.get("location")?.startsWith(redirectUri); i++)
    res = await go(res.headers.get("location")!);
  return { callback: new URL(res.headers.get("location")!), verifier };
}

describe("development OIDC provider", () => {
  it("serves discovery under its mount path", async () => {
    const doc = await (await fetch(`${base}/oidc/.well-known/openid-configuration`)).json();
    expect(doc.issuer).toBe(`${base}/oidc`);
    expect(doc.authorization_endpoint).toBe(`${base}/oidc/auth`);
    expect(doc.scopes_supported).toContain("groups");
  });

  it("signs a demo user in and puts their groups in the ID token", async () => {
    const { callback, verifier } = await authorize("developer");
    expect(callback.searchParams.get("state")).toBe("st");
    const token = await fetch(`${base}/oidc/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: callback.searchParams.get("code")!,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    }).then((r) => r.json());
    const claims = JSON.parse(Buffer.from(String(token.id_token).split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({
      iss: `${base}/oidc`,
      sub: "developer",
      nonce: "nn",
      groups: ["berth-everyone", "berth-team-payments"],
    });
  });

  it("returns access_denied when the user denies", async () => {
    const go = browser();
    const q = new URLSearchParams({
      client_id: client.clientId,
      response_type: "code",
      scope: "openid",
      redirect_uri: redirectUri,
      state: "st",
      code_challenge: "x".repeat(43),
      code_challenge_method: "S256",
    });
    const interaction = (await go(`/oidc/auth?${q}`)).headers.get("location")!;
    let res = await go(`${interaction}/abort`, { method: "POST" });
    for (let i = 0; i < 5 && !res.headers.get("location")?.startsWith(redirectUri); i++)
      res = await go(res.headers.get("location")!);
    expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
  });

  it("refuses an unregistered redirect URI", async () => {
    const q = new URLSearchParams({
      client_id: client.clientId,
      response_type: "code",
      scope: "openid",
      redirect_uri: "https://evil.example/cb",
    });
    const res = await fetch(`${base}/oidc/auth?${q}`, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("redirect_uri");
  });
});
