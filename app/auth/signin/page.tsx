import { Anchor } from "lucide-react";
import { redirect } from "next/navigation";
import { Button } from "@/components/ui/button";
import { signInAction } from "@/lib/entry/actions/auth";
import { getViewer } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; signedOut?: string }>;
}) {
  if (await getViewer()) redirect("/");
  const { callbackUrl, signedOut } = await searchParams;
  const provider = getConfig().auth.provider;
  const label =
    provider.kind === "entra"
      ? "Sign in with Microsoft"
      : provider.kind === "oidc"
        ? `Sign in with ${provider.name}`
        : "Sign in with the development provider";
  return (
    <main className="grid min-h-screen place-items-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-border bg-surface p-8">
        <h1 className="flex items-center gap-2 text-xl font-semibold">
          <Anchor aria-hidden className="size-5 text-primary" /> Berth
        </h1>
        <p className="mt-2 text-sm text-muted">
          Self-service Kubernetes: sandboxes, team vClusters and dedicated clusters, approved through Git.
        </p>
        {signedOut ? (
          <p role="status" className="mt-4 text-sm">
            You are signed out.
          </p>
        ) : null}
        <form action={signInAction} className="mt-6">
          <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/"} />
          <Button type="submit" className="w-full">
            {label}
          </Button>
        </form>
        {provider.kind === "dev" ? (
          <p className="mt-4 rounded-md bg-warning-soft px-3 py-2 text-xs text-warning">
            Demo users only: this Berth runs with its built-in development sign-in.
          </p>
        ) : null}
      </div>
    </main>
  );
}
