import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-muted">
        This page is for platform admins. If you need access, ask your platform team to add you to the admin group.
      </p>
      <Link className="mt-4 inline-block text-primary underline" href="/">
        Back to Home
      </Link>
    </main>
  );
}
