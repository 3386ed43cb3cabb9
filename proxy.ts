// Redirects visitors without a session cookie to sign-in. Only a convenience: every page,
// action and route checks the session and role itself.
import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(req: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => req.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/auth/signin";
  url.search = new URLSearchParams({ callbackUrl: req.nextUrl.pathname + req.nextUrl.search }).toString();
  return NextResponse.redirect(url);
}

export const config = {
  // Everything except sign-in pages, Auth.js, health, the dev OIDC provider and static files.
  matcher: ["/((?!auth/|api/|oidc|_next/|favicon.ico).*)"],
};
