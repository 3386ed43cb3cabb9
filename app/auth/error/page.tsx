import Link from "next/link";
import { isSignInErrorCode, SIGN_IN_ERRORS } from "@/lib/auth/sign-in-errors";

export const metadata = { title: "Sign-in problem" };

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const code = isSignInErrorCode(error) ? error : "Configuration";
  const info = SIGN_IN_ERRORS[code];
  return (
    <main className="grid min-h-screen place-items-center px-4">
      <div
        className="w-full max-w-md rounded-lg border border-border bg-surface p-8"
        role="alert"
        data-error-code={code}
      >
        <h1 className="text-xl font-semibold">{info.title}</h1>
        <p className="mt-2 text-sm text-muted">{info.detail}</p>
        <p className="mt-4 text-xs text-muted">
          Error code: <code>{code}</code>
        </p>
        <Link href="/auth/signin" className="mt-6 inline-block text-sm text-primary underline">
          Try signing in again
        </Link>
      </div>
    </main>
  );
}
