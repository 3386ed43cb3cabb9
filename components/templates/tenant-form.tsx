"use client";
import { Fragment, useActionState, useState } from "react";
import { Field, FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import type { ActionState } from "@/lib/entry/action-core";
import { submitTenantAction, updateTenantAction } from "@/lib/entry/actions/requests";
import { previewTenantAction } from "@/lib/entry/actions/templates";
import { DiffView } from "@/components/requests/diff-view";
import type { FileDiff } from "@/lib/requests/diff";
import { SchemaFields, type Schema } from "./schema-fields";

type Preview = {
  files: { path: string; content: string }[];
  outputs: Record<string, string>;
  expiresAt: string | null;
  template: string;
  diff: FileDiff[] | null;
};

export type TenantFormProps = {
  template: { name: string; version: string; title: string };
  schema: Schema;
  teams: string[];
  placements: { value: string; label: string; options: Record<string, string[]> }[];
  // Set when changing an existing tenant: team, name and placement are fixed, values prefilled.
  existing?: { tenant: string; team: string; placement: string; values: Record<string, string> };
};

type Submitted = { requestId: string; tenantName: string; autoApprove: boolean };

export function TenantForm({ template, schema, teams, placements, existing }: TenantFormProps) {
  const [state, action, pending] = useActionState(previewTenantAction, {
    ok: false,
    values: existing?.values,
  } as ActionState<Preview>);
  const [submitState, submit, submitting] = useActionState(existing ? updateTenantAction : submitTenantAction, {
    ok: false,
  } as ActionState<Submitted>);
  // Errors and values of whichever button was used last.
  const [last, setLast] = useState<"preview" | "submit">("preview");
  const shown = last === "submit" ? submitState : state;
  const values = { ...existing?.values, ...(shown.values ?? state.values ?? {}) };
  const errors = shown.fieldErrors ?? {};
  const [placement, setPlacement] = useState(values.placement ?? placements[0]?.value ?? "");
  const options = placements.find((p) => p.value === placement)?.options ?? {};
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form action={action} className="space-y-4" noValidate aria-label={`Request ${template.title}`}>
        <input type="hidden" name="template" value={template.name} />
        <input type="hidden" name="version" value={template.version} />
        {existing ? (
          <>
            <input type="hidden" name="tenant" value={existing.tenant} />
            <input type="hidden" name="team" value={existing.team} />
            <input type="hidden" name="tenantName" value={existing.tenant} />
            <input type="hidden" name="placement" value={existing.placement} />
          </>
        ) : null}
        <FormMessage ok={false} message={shown.ok ? undefined : shown.message} />
        {errors.template ? (
          <p role="alert" className="text-sm text-danger">
            {errors.template}
          </p>
        ) : null}
        {errors.tenant ? (
          <p role="alert" className="text-sm text-danger">
            {errors.tenant}
          </p>
        ) : null}
        {existing ? null : (
          <>
            <Field id="team" label="Team" error={errors.team}>
              {(aria) => (
                <NativeSelect {...aria} name="team" defaultValue={values.team ?? teams[0]}>
                  {teams.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </NativeSelect>
              )}
            </Field>
            <Field
              id="tenantName"
              label="Tenant name"
              hint="Lowercase letters, digits and hyphens, 3–40 characters."
              error={errors.tenantName}
            >
              {(aria) => <Input {...aria} name="tenantName" defaultValue={values.tenantName} autoComplete="off" />}
            </Field>
            <Field id="placement" label="Placement target" error={errors.placement}>
              {(aria) => (
                <NativeSelect
                  {...aria}
                  name="placement"
                  value={placement}
                  onChange={(e) => setPlacement(e.target.value)}
                >
                  {placements.map((p) => (
                    <option key={p.value} value={p.value}>
                      {p.label}
                    </option>
                  ))}
                </NativeSelect>
              )}
            </Field>
          </>
        )}
        <SchemaFields schema={schema} options={options} values={values} errors={errors} />
        {errors.params ? (
          <p role="alert" className="text-sm text-danger">
            {errors.params}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="outline" disabled={pending || submitting} onClick={() => setLast("preview")}>
            {pending ? "Rendering…" : "Preview manifests"}
          </Button>
          <Button type="submit" formAction={submit} disabled={pending || submitting} onClick={() => setLast("submit")}>
            {submitting ? "Submitting…" : existing ? "Request change" : "Submit request"}
          </Button>
        </div>
      </form>
      <section aria-labelledby="preview-h" aria-live="polite" className="min-w-0">
        <h2 id="preview-h" className="mb-2 text-base font-semibold">
          Preview
        </h2>
        {state.ok && state.data ? (
          <div className="space-y-3" data-testid="preview">
            <p className="text-sm text-muted">
              {state.data.files.length} files for <code>{state.data.template}</code>
              {state.data.expiresAt ? <>, expires {new Date(state.data.expiresAt).toUTCString()}</> : null}.
            </p>
            {Object.entries(state.data.outputs).length > 0 ? (
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
                {Object.entries(state.data.outputs).map(([k, v]) => (
                  <Fragment key={k}>
                    <dt className="font-medium">{k}</dt>
                    <dd className="break-all font-mono text-xs">{v}</dd>
                  </Fragment>
                ))}
              </dl>
            ) : null}
            {state.data.diff ? (
              <section aria-label="Changes compared with the tenant's files in Git">
                <h3 className="mb-1 text-sm font-semibold">What this change does</h3>
                {state.data.diff.length === 0 ? (
                  <p className="text-sm text-muted">Nothing: the files would stay as they are.</p>
                ) : (
                  <DiffView files={state.data.diff} />
                )}
              </section>
            ) : null}
            {state.data.files.map((f) => (
              <details
                key={f.path}
                className="rounded-md border border-border bg-surface"
                open={f.path.endsWith("tenant.yaml")}
              >
                <summary className="cursor-pointer px-3 py-2 font-mono text-xs">{f.path}</summary>
                <pre className="overflow-x-auto border-t border-border p-3 text-xs">{f.content}</pre>
              </details>
            ))}
          </div>
        ) : (
          <p className="text-sm text-muted">
            Fill the form and choose “Preview manifests” to see every file the request writes to the GitOps repository.
          </p>
        )}
      </section>
    </div>
  );
}
