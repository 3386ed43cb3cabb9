import { describe, expect, it } from "vitest";
import { classifySignInError, noteSignInError, withSignInErrors } from "./sign-in-errors";

const authError = (type: string, message = "", cause?: unknown) => Object.assign(new Error(message), { type, cause });

describe("classifySignInError", () => {
  it("maps Auth.js errors to the page that explains them", () => {
    expect(classifySignInError(authError("AccessDenied"))).toBe("AccessDenied");
    expect(
      classifySignInError(
        authError("CallbackRouteError", "x", {
          err: new Error('"response" body "error" property must be a string... access_denied'),
        }),
      ),
    ).toBe("AccessDenied");
    expect(
      classifySignInError(authError("OAuthCallbackError", "OAuth Provider returned an error"), "access_denied"),
    ).toBe("AccessDenied");
    expect(classifySignInError(authError("InvalidCheck", "pkceCodeVerifier value could not be parsed"))).toBe(
      "StateExpired",
    );
    expect(
      classifySignInError(
        authError("CallbackRouteError", "x", { err: new Error('unexpected JWT "iss" (issuer) claim value') }),
      ),
    ).toBe("WrongIssuer");
    expect(classifySignInError(authError("SignInError", "x", { err: new TypeError("fetch failed") }))).toBe(
      "ProviderUnreachable",
    );
    expect(classifySignInError(authError("CallbackRouteError", "something else"))).toBe("Configuration");
  });
});

describe("withSignInErrors", () => {
  it("rewrites a generic error redirect to the specific cause and keeps every cookie", async () => {
    const res = await withSignInErrors("http://localhost:3000/api/auth/callback/dev?code=x", async () => {
      noteSignInError(authError("InvalidCheck", "state value could not be parsed"));
      const headers = new Headers({ location: "http://localhost:3000/auth/error?error=Configuration" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; Path=/");
      return new Response(null, { status: 302, headers });
    });
    expect(res.headers.get("location")).toBe("http://localhost:3000/auth/error?error=StateExpired");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("leaves successful responses and specific codes alone", async () => {
    const ok = await withSignInErrors(
      "http://localhost:3000/api/auth/callback/dev?code=x",
      async () => new Response(null, { status: 302, headers: { location: "http://x/" } }),
    );
    expect(ok.headers.get("location")).toBe("http://x/");
    const specific = await withSignInErrors("http://localhost:3000/api/auth/callback/dev?code=x", async () => {
      noteSignInError(authError("AccessDenied"));
      return new Response(null, { status: 302, headers: { location: "http://x/auth/error?error=MissingGroups" } });
    });
    expect(specific.headers.get("location")).toBe("http://x/auth/error?error=MissingGroups");
  });
});
