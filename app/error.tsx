"use client";

// Shown when a page fails, e.g. the database went away: a plain explanation, never a stack trace.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-muted">
        Berth could not complete the request, possibly because its database is unreachable. Nothing was changed.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md border border-border bg-surface px-4 py-2 text-sm"
      >
        Try again
      </button>
    </main>
  );
}
