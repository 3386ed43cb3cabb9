import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-muted">There is nothing here, or it is not visible to you.</p>
      <Link className="mt-4 inline-block text-primary underline" href="/">
        Back to Home
      </Link>
    </main>
  );
}
