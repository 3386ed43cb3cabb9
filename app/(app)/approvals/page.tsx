import { EmptyState, PageHeader } from "@/components/page-header";
import { requireAdmin } from "@/lib/auth/session";

export const metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="Approvals" description="Requests waiting for a platform engineer, with their diff and pull request." />
      <EmptyState title="Nothing awaiting approval">There are no requests in this Berth version yet.</EmptyState>
    </>
  );
}
