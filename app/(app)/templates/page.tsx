import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { requireAllowed } from "@/lib/entry/session";
import { getCatalog } from "@/lib/templates/catalog";

export const metadata = { title: "Templates" };

export default async function TemplatesAdminPage() {
  await requireAllowed("admin.pages");
  const catalog = await getCatalog();
  return (
    <>
      <PageHeader
        title="Templates"
        description="Every template version Berth knows, where it comes from, and the ones it had to refuse."
      />
      {catalog.errors.length > 0 ? (
        <section aria-labelledby="errors-h" className="mb-6 rounded-lg border border-danger bg-danger-soft p-4">
          <h2 id="errors-h" className="font-semibold text-danger">
            {catalog.errors.length} invalid template(s), not offered
          </h2>
          <ul className="mt-2 space-y-1 text-sm" data-testid="template-errors">
            {catalog.errors.map((e) => (
              <li key={`${e.source}:${e.file}`}>
                <code>{e.file}</code> ({e.source}): {e.error}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Table data-testid="templates-table">
        <thead>
          <tr>
            <Th>Template</Th>
            <Th>Version</Th>
            <Th>Kind</Th>
            <Th>Source</Th>
            <Th>Policy</Th>
          </tr>
        </thead>
        <tbody>
          {catalog.templates.map((t) => (
            <tr key={`${t.name}@${t.version}`}>
              <Td>
                <span className="font-medium">{t.title}</span> <span className="text-muted">({t.name})</span>
              </Td>
              <Td className="font-mono text-xs">{t.version}</Td>
              <Td>
                <Badge>{t.kind}</Badge>
              </Td>
              <Td>
                {t.source.kind === "git" ? "GitOps repository" : "built in"}{" "}
                <span className="font-mono text-xs text-muted">{t.source.path}</span>
              </Td>
              <Td className="text-xs">
                {t.policy.autoApprove ? "auto-approve" : "approval"} · roles: {t.policy.allowedRoles.join(", ")}
                {t.policy.perUser ? " · per user" : ""}
                {t.policy.ttl ? ` · TTL ${t.policy.ttl.defaultHours}h (max ${t.policy.ttl.maxHours}h)` : ""}
                {t.filesFrom ? ` · files of ${t.filesFrom}` : ""}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
