import "server-only";
import NextAuth, { type NextAuthConfig } from "next-auth";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import type { Provider } from "next-auth/providers";
import { headers } from "next/headers";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { getConfig, getRuntime, type AuthProviderConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { clientIpFrom } from "@/lib/http/client-ip";
import { getLogger } from "@/lib/log";
import { resolveGroups } from "@/lib/auth/groups";
import { recordSignIn } from "@/lib/teams/record-sign-in";
import { noteSignInError } from "@/lib/auth/sign-in-errors";

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null };
  }
}

function buildProvider(p: AuthProviderConfig): Provider {
  if (p.kind === "entra") {
    return MicrosoftEntraID({
      clientId: p.clientId,
      clientSecret: p.clientSecret,
      issuer: `https://login.microsoftonline.com/${p.tenantId}/v2.0`,
      // GroupMember.Read.All lets Berth resolve group overage through Microsoft Graph.
      authorization: { params: { scope: "openid profile email offline_access User.Read GroupMember.Read.All" } },
    });
  }
  const generic =
    p.kind === "dev"
      ? { id: "dev", name: "Development sign-in", scopes: "openid profile email groups" }
      : { id: "oidc", name: p.name, scopes: p.scopes };
  return {
    id: generic.id,
    name: generic.name,
    type: "oidc",
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecret: p.clientSecret,
    authorization: { params: { scope: generic.scopes } },
    checks: ["pkce", "state", "nonce"],
  };
}

export function providerId(p: AuthProviderConfig): string {
  return p.kind === "entra" ? "microsoft-entra-id" : p.kind;
}

function buildAuthConfig(): NextAuthConfig {
  const config = getConfig();
  const provider = config.auth.provider;
  const log = getLogger();
  return {
    secret: getRuntime().authSecret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 8 * 3600 },
    providers: [buildProvider(provider)],
    pages: { signIn: "/auth/signin", error: "/auth/error" },
    logger: {
      error: (err) => {
        noteSignInError(err);
        log.warn({ err: { name: err.name, message: err.message } }, "sign-in error");
      },
      warn: (code) => log.debug({ code }, "auth.js warning"),
      debug: () => undefined,
    },
    callbacks: {
      async signIn({ account, profile }) {
        if (!account || !profile?.sub) return "/auth/error?error=Configuration";
        const resolution = await resolveGroups({
          profile: profile as Record<string, unknown>,
          claim: provider.kind === "oidc" ? provider.groupsClaim : "groups",
          prefix: config.auth.groupPrefix,
          entra:
            provider.kind === "entra" ? { graphUrl: provider.graphUrl, accessToken: account.access_token } : undefined,
        });
        if (!resolution.ok) {
          log.warn({ code: resolution.code, detail: resolution.detail }, "sign-in refused");
          return `/auth/error?error=${resolution.code}`;
        }
        const clientIp = clientIpFrom(await headers(), config.trustProxy);
        await recordSignIn({
          db: getDb(),
          identity: {
            subject: `${account.provider}:${profile.sub}`,
            name: String(profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub),
            email: typeof profile.email === "string" ? profile.email : null,
            groups: resolution.groups,
          },
          adminGroup: config.auth.adminGroup,
          clientIp,
        });
        return true;
      },
      async jwt({ token, account, profile }) {
        if (account && profile?.sub) {
          const [row] = await getDb()
            .select({ id: users.id })
            .from(users)
            .where(eq(users.subject, `${account.provider}:${profile.sub}`));
          token.uid = row?.id;
        }
        return token;
      },
      async session({ session, token }) {
        session.user.id = typeof token.uid === "string" ? token.uid : "";
        return session;
      },
    },
  };
}

// Lazy: configuration and runtime exist only once server.ts has started, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildAuthConfig());
