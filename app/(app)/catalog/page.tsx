import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { requireViewer } from "@/lib/entry/session";
import { getCatalog, latestTemplates } from "@/lib/templates/catalog";
import { requestableTemplates } from "@/lib/templates/service";

export const metadata = { title: "Catalog" };

export default async function CatalogPage() {
  const viewer = await requireViewer();
  const templates = requestableTemplates(viewer, latestTemplates(await getCatalog()));
  return (
    <>
      <PageHeader
        title="Catalog"
        description="Templates you may request: sandboxes, shared vClusters and dedicated clusters — one workflow for all."
      />
      {templates.length === 0 ? (
        <EmptyState title="Nothing you can request yet">
          Templates are offered to members of a team. Ask your platform team to map one of your directory groups to a
          team.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" data-testid="catalog">
          {templates.map((t) => (
            <li key={t.name}>
              <Card className="flex h-full flex-col gap-2">
                <div className="flex items-center justify-between gap-2">
                  <CardTitle>{t.title}</CardTitle>
                  <Badge>{t.kind}</Badge>
                </div>
                <p className="flex-1 text-sm text-muted">{t.description}</p>
                <p className="text-xs text-muted">
                  {t.name}@{t.version} ·{" "}
                  {t.policy.autoApprove ? "approved automatically" : "approved by the platform team"}
                  {t.policy.ttl ? ` · expires after ${Math.round(t.policy.ttl.defaultHours / 24)} days` : ""}
                </p>
                <Button asChild size="sm" className="self-start">
                  <Link href={`/catalog/${t.name}`}>Configure</Link>
                </Button>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
