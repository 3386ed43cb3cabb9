import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import type { Schema } from "@/components/templates/schema-fields";
import { TenantForm } from "@/components/templates/tenant-form";
import { requireViewer } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { listTeams } from "@/lib/teams/queries";
import { findTemplate, getCatalog, placementChoices, placementOptions } from "@/lib/templates/catalog";
import { can, SANDBOX_TEAM } from "@/lib/auth/policy";

export default async function TemplatePage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ version?: string }>;
}) {
  const viewer = await requireViewer();
  const { name } = await params;
  const { version } = await searchParams;
  const catalog = await getCatalog();
  const template = findTemplate(catalog, name, version);
  if (!template) notFound();
  // Platform admins may request for any team; everyone else for their teams whose role the policy allows.
  // Personal templates (sandboxes) go to the built-in sandboxes team.
  const teams = template.policy.perUser
    ? [SANDBOX_TEAM]
    : (await listTeams(getDb(), viewer))
        .map((t) => t.slug)
        .filter((team) => team !== SANDBOX_TEAM && can(viewer, "template.request", { template, team }));
  const versions = catalog.templates.filter((t) => t.name === name).map((t) => t.version);
  const placements = placementChoices(template, getConfig().placements).map((c) => ({
    value: c.value,
    label: c.label,
    options: placementOptions(c.placement),
  }));
  return (
    <>
      <PageHeader title={template.title} description={template.description} />
      <p className="-mt-4 mb-6 text-xs text-muted">
        Version {template.version} ({template.source.kind === "git" ? "from the GitOps repository" : "built in"})
        {versions.length > 1 ? (
          <>
            {" "}
            · other versions:{" "}
            {versions
              .filter((v) => v !== template.version)
              .map((v) => (
                <Link key={v} className="ml-1 text-primary underline" href={`/catalog/${name}?version=${v}`}>
                  {v}
                </Link>
              ))}
          </>
        ) : null}
      </p>
      {teams.length === 0 ? (
        <p className="rounded-md bg-warning-soft px-3 py-2 text-sm text-warning">
          You are not in a team that may request this template ({template.policy.allowedRoles.join(" or ")} role
          needed).
        </p>
      ) : placements.length === 0 ? (
        <p className="rounded-md bg-warning-soft px-3 py-2 text-sm text-warning">
          No placement target is configured for {template.kind} tenants. Ask your platform team to add one
          (BERTH_PLACEMENTS_FILE).
        </p>
      ) : (
        <TenantForm
          template={{ name: template.name, version: template.version, title: template.title }}
          schema={template.parameters as Schema}
          teams={teams}
          placements={placements}
        />
      )}
    </>
  );
}
