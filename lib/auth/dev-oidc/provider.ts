import "server-only";
import { generateKeyPairSync } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { findDemoUser } from "./demo-users";
import { renderErrorPage, renderLoginPage } from "./login-page";

export type DevOidcOptions = {
  issuer: string; // e.g. http://localhost:3000/oidc
  redirectUris: string[];
  clientId: string;
  clientSecret: string;
  cookieSecret: string;
};

export type DevOidcHandler = (req: IncomingMessage, res: ServerResponse) => void;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function send(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

/** A real OIDC provider (oidc-provider) with demo users, mounted under the issuer's path. */
export function createDevOidcProvider(opts: DevOidcOptions): DevOidcHandler {
  const mountPath = new URL(opts.issuer).pathname.replace(/\/$/, "");
  // Fresh signing keys per start: sessions outlive restarts via Berth's own cookie, not these tokens.
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), use: "sig", alg: "RS256", kid: "berth-dev" };

  const configuration: Configuration = {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        client_name: "Berth",
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [opts.cookieSecret] },
    scopes: ["openid", "profile", "email", "groups"],
    claims: { openid: ["sub"], profile: ["name"], email: ["email"], groups: ["groups"] },
    // Put the claims in the ID token, as Entra ID and Keycloak do for groups.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, id) => {
      const user = findDemoUser(id);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: async () => ({
          sub: user.id,
          name: user.name,
          email: user.email,
          ...(user.groups ? { groups: user.groups } : {}),
        }),
      };
    },
    // First-party client: consent is implied, so grant the requested scopes once logged in.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId,
      });
      grant.addOIDCScope("openid profile email groups");
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = renderErrorPage("Sign-in error", `${out.error}: ${out.error_description ?? ""}`);
    },
    ttl: {
      Session: 8 * 3600,
      Interaction: 600,
      Grant: 8 * 3600,
      AccessToken: 3600,
      IdToken: 3600,
      AuthorizationCode: 60,
    },
  };
  const provider = new Provider(opts.issuer, configuration);
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(path);
    if (!match) return send(res, 404, renderErrorPage("Not found", path));
    const [, uid, step] = match;
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== uid) return send(res, 400, renderErrorPage("Sign-in expired", "Start the sign-in again."));
      if (!step && req.method === "GET") {
        const client = await provider.Client.find(String(details.params.client_id));
        return send(res, 200, renderLoginPage(uid!, client?.clientName ?? "Berth"));
      }
      if (req.method !== "POST") return send(res, 405, renderErrorPage("Method not allowed", ""));
      if (step === "abort") {
        await provider.interactionFinished(
          req,
          res,
          { error: "access_denied", error_description: "The user denied the sign-in." },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const form = await readForm(req);
      const user = findDemoUser(form.get("user") ?? "");
      if (!user) return send(res, 400, renderErrorPage("Unknown demo user", "Pick one of the listed users."));
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.id } },
        { mergeWithLastSubmission: false },
      );
    } catch (err) {
      // Typically the interaction cookie expired: tell the user to start again rather than crash.
      send(
        res,
        400,
        renderErrorPage("Sign-in expired", err instanceof Error ? err.message : "Start the sign-in again."),
      );
    }
  };

  return (req, res) => {
    const full = req.url ?? "/";
    const rest = full.slice(mountPath.length) || "/";
    const path = rest.split("?")[0] ?? "/";
    if (path.startsWith("/interaction/")) {
      void interaction(req, res, path);
      return;
    }
    // Express-style mounting: oidc-provider derives its mount path from originalUrl vs url.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = full;
    req.url = rest;
    callback(req, res);
  };
}
