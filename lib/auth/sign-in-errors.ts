import { AsyncLocalStorage } from "node:async_hooks";

// Codes understood by app/auth/error; anything else is shown as a configuration problem.
export const SIGN_IN_ERRORS = {
  AccessDenied: {
    title: "Sign-in was denied",
    detail:
      "You or your identity provider declined the sign-in. If this is unexpected, ask your platform team " +
      "to check that Berth's application is assigned to you.",
  },
  MissingGroups: {
    title: "Your groups were not sent",
    detail:
      "The identity provider's token has no groups claim, so Berth cannot tell which teams you belong " +
      "to. Ask your platform team to add the groups claim to Berth's client (BERTH_OIDC_GROUPS_CLAIM " +
      "names it).",
  },
  GroupOverageFailed: {
    title: "Your groups could not be read",
    detail:
      "You belong to many groups, so Entra ID left them out of the token, and reading them from " +
      "Microsoft Graph failed. Ask your platform team to grant Berth GroupMember.Read.All.",
  },
  StateExpired: {
    title: "The sign-in expired",
    detail: "The sign-in took too long or was started in another tab. Start again.",
  },
  WrongIssuer: {
    title: "Identity provider mismatch",
    detail:
      "The identity provider answered with a different issuer than Berth is configured for (BERTH_OIDC_ISSUER / BERTH_ENTRA_TENANT_ID).",
  },
  ProviderUnreachable: {
    title: "Identity provider unreachable",
    detail:
      "Berth could not reach the identity provider. Try again in a minute; if it persists, tell your platform team.",
  },
  Configuration: {
    title: "Sign-in is misconfigured",
    detail: "Berth's sign-in settings were rejected. The server log has the details for your platform team.",
  },
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;

export function isSignInErrorCode(v: string | undefined): v is SignInErrorCode {
  return v !== undefined && Object.hasOwn(SIGN_IN_ERRORS, v);
}

function messages(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let i = 0; cur && i < 5; i++) {
    // Auth.js puts the provider's own answer (error=access_denied…) into cause.error.
    const e = cur as { message?: string; type?: string; cause?: unknown; error?: unknown; error_description?: unknown };
    parts.push([e.type, e.message, e.error, e.error_description].filter((p) => typeof p === "string").join(" "));
    const c = e.cause as { err?: unknown } | undefined;
    cur = c && typeof c === "object" && "err" in c ? c.err : e.cause;
  }
  return parts.join(" | ");
}

/** Maps an Auth.js error (and its causes) to the code of the page that explains it. */
export function classifySignInError(err: unknown, providerError?: string | null): SignInErrorCode {
  const type = (err as { type?: string } | undefined)?.type;
  // The provider's error=… on the callback URL; Auth.js drops it from the error it raises.
  const text = `${messages(err)} ${providerError ?? ""}`;
  if (type === "AccessDenied" || /access_denied/.test(text)) return "AccessDenied";
  if (type === "InvalidCheck" || /state|pkce|nonce/i.test(text)) return "StateExpired";
  if (/\biss\b|issuer/i.test(text)) return "WrongIssuer";
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|status code 5\d\d/i.test(text))
    return "ProviderUnreachable";
  return "Configuration";
}

const errors = new AsyncLocalStorage<{ error?: unknown }>();

/** Auth.js logger hook: remembers the error of the current request for the route wrapper. */
export function noteSignInError(err: unknown): void {
  const store = errors.getStore();
  if (store && !store.error) store.error = err;
}

/** Runs an Auth.js handler and, when it redirects to an error page, names the real cause. */
export async function withSignInErrors(requestUrl: string, run: () => Promise<Response>): Promise<Response> {
  const store: { error?: unknown } = {};
  const res = await errors.run(store, run);
  const location = res.headers.get("location");
  if (!location || !store.error) return res;
  const url = new URL(location);
  const code = url.searchParams.get("error");
  if (!code || (isSignInErrorCode(code) && code !== "Configuration")) return res;
  url.pathname = "/auth/error";
  const providerError = new URL(requestUrl).searchParams.get("error");
  url.search = new URLSearchParams({ error: classifySignInError(store.error, providerError) }).toString();
  // Copying Headers keeps each Set-Cookie separate (Auth.js clears its check cookies here).
  const headers = new Headers(res.headers);
  headers.set("location", url.toString());
  return new Response(null, { status: res.status, headers });
}
