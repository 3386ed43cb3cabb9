import { EmptyState, PageHeader } from "@/components/page-header";
import { requireViewer } from "@/lib/auth/session";

export const metadata = { title: "Catalog" };

export default async function CatalogPage() {
  await requireViewer();
  return (
    <>
      <PageHeader title="Catalog" description="Templates you may request: sandbox, shared vCluster, dedicated on-prem and AKS clusters." />
      <EmptyState title="No templates yet">This Berth version does not ship the template catalog yet, so nothing can be requested.</EmptyState>
    </>
  );
}
