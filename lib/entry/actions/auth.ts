"use server";
import { getConfig } from "@/lib/config";
import { signIn, signOut, providerId } from "@/lib/entry/auth";

/** Starts the OIDC sign-in with the configured provider. */
export async function signInAction(form: FormData): Promise<void> {
  const raw = form.get("callbackUrl");
  // Only same-site paths: an absolute URL here would be an open redirect.
  const redirectTo = typeof raw === "string" && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/";
  await signIn(providerId(getConfig().auth.provider), { redirectTo });
}

/** Ends the Berth session (the identity provider's own session is left alone). */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/auth/signin?signedOut=1" });
}
