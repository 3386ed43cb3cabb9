import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { DecommissionForm } from "@/components/requests/decommission-form";
import { RequestTable } from "@/components/requests/request-table";
import type { Schema } from "@/components/templates/schema-fields";
import { TenantForm } from "@/components/templates/tenant-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/policy";
import { requireViewer } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { listRequests } from "@/lib/requests/queries";
import { getTenant } from "@/lib/tenants/queries";
import { findTemplate, getCatalog, placementChoices, placementOptions } from "@/lib/templates/catalog";
import { LiveUpdates } from "@/components/live-updates";
import { AccessPanel } from "@/components/status/access-panel";
import { TenantStatusPanel } from "@/components/status/tenant-status-panel";
import { clusterFreshness, getTenantStatus } from "@/lib/status/queries";
import { Countdown } from "@/components/sandboxes/countdown";
import { FirstSteps } from "@/components/sandboxes/first-steps";
import { ExtendSandboxForm } from "@/components/sandboxes/sandbox-forms";
import { formFieldsFromParameters } from "@/lib/templates/form-values";

export default async function TenantPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ version?: string }>;
}) {
  const viewer = await requireViewer();
  const { name } = await params;
  const tenant = await getTenant(getDb(), viewer, name);
  if (!tenant) notFound();
  const { version } = await searchParams;
  const catalog = await getCatalog();
  const newest = findTemplate(catalog, tenant.templateName);
  const template = findTemplate(catalog, tenant.templateName, version ?? tenant.templateVersion);
  // Exactly what the services accept (lib/tenants/changeable.ts asks the same policy).
  const active = tenant.lifecycle === "active";
  const mayChange = active && can(viewer, "tenant.change", tenant);
  const mayDecommission = active && can(viewer, "tenant.decommission", tenant);
  const mayExtend = active && can(viewer, "sandbox.extend", tenant);
  const requests = await listRequests(getDb(), viewer, { tenant: tenant.name });
  const placementValue = [tenant.placement, tenant.nodePool].filter(Boolean).join("/");
  const choice = template
    ? placementChoices(template, getConfig().placements).find((c) => c.value === placementValue)
    : undefined;
  const freshness = await clusterFreshness(getDb());
  const status = await getTenantStatus(getDb(), tenant.id, tenant.kind, freshness);
  // Access is handed out once the tenant is ready (or merged, when no cluster can confirm it).
  const showAccess = tenant.lifecycle === "active" && (status.phase === "Ready" || freshness.cluster === "none");
  return (
    <>
      <LiveUpdates tenants={[tenant.name]} />
      <PageHeader
        title={tenant.name}
        description={`Team ${tenant.team} · ${tenant.template} · ${placementValue}`}
        actions={<Badge>{tenant.lifecycle}</Badge>}
      />
      <div className="space-y-4">
        <div className="grid gap-4 lg:grid-cols-2">
          <TenantStatusPanel status={status} freshness={freshness} />
          {showAccess ? <AccessPanel tenant={tenant.name} outputs={tenant.outputs} /> : null}
        </div>
        {tenant.kind === "sandbox" && tenant.expiresAt ? (
          <Card aria-labelledby="expiry-h" className="space-y-3">
            <CardTitle id="expiry-h">Expiry</CardTitle>
            <p className="text-sm">
              This sandbox is removed automatically: <Countdown expiresAt={tenant.expiresAt.toISOString()} />.
            </p>
            {mayExtend ? <ExtendSandboxForm tenant={tenant.name} /> : null}
            {showAccess ? <FirstSteps tenant={tenant.name} argocdUrl={tenant.outputs.argocdUrl} /> : null}
          </Card>
        ) : null}
        {newest && template && newest.version !== tenant.templateVersion ? (
          <p className="rounded-md bg-warning-soft px-3 py-2 text-sm text-warning">
            Template {newest.name}@{newest.version} is available (this tenant runs {tenant.templateVersion}).{" "}
            <Link className="underline" href={`/tenants/${tenant.name}?version=${newest.version}`}>
              Prepare the upgrade
            </Link>
          </p>
        ) : null}
        {mayChange && template && choice && tenant.kind !== "sandbox" ? (
          <Card aria-labelledby="change-h">
            <CardTitle id="change-h" className="mb-3">
              Change {version && version !== tenant.templateVersion ? `(upgrade to ${version})` : ""}
            </CardTitle>
            <TenantForm
              template={{ name: template.name, version: template.version, title: template.title }}
              schema={template.parameters as Schema}
              teams={[tenant.team]}
              placements={[{ value: choice.value, label: choice.label, options: placementOptions(choice.placement) }]}
              existing={{
                tenant: tenant.name,
                team: tenant.team,
                placement: placementValue,
                values: formFieldsFromParameters(tenant.parameters),
              }}
            />
          </Card>
        ) : null}
        {mayDecommission ? (
          <Card aria-labelledby="decom-h">
            <CardTitle id="decom-h" className="mb-3">
              Decommission
            </CardTitle>
            <DecommissionForm tenant={tenant.name} />
          </Card>
        ) : null}
        <section aria-labelledby="history-h">
          <h2 id="history-h" className="mb-2 text-base font-semibold">
            Requests
          </h2>
          <RequestTable rows={requests} testId="tenant-requests" />
        </section>
      </div>
    </>
  );
}
