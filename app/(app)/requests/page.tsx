import { EmptyState, PageHeader } from "@/components/page-header";
import { requireViewer } from "@/lib/auth/session";

export const metadata = { title: "Requests" };

export default async function RequestsPage() {
  await requireViewer();
  return (
    <>
      <PageHeader title="Requests" description="Create, change and decommission requests, each tracked as a Git pull request." />
      <EmptyState title="No requests yet">Requests are not available in this Berth version yet.</EmptyState>
    </>
  );
}
