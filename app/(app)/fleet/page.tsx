import { EmptyState, PageHeader } from "@/components/page-header";
import { requireAdmin } from "@/lib/auth/session";

export const metadata = { title: "Fleet" };

export default async function FleetPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="Fleet" description="Every tenant's health, failing and stale first." />
      <EmptyState title="No management cluster connected">Berth reads live status from a management cluster; none is configured, so no status is shown.</EmptyState>
    </>
  );
}
