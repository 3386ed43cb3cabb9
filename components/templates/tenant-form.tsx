"use client";
import { Fragment, useActionState, useState } from "react";
import { Field, FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import type { ActionState } from "@/lib/auth/action-core";
import { previewTenantAction } from "@/lib/templates/actions";
import { SchemaFields, type Schema } from "./schema-fields";

type Preview = { files: { path: string; content: string }[]; outputs: Record<string, string>; expiresAt: string | null; template: string };

export type TenantFormProps = {
  template: { name: string; version: string; title: string };
  schema: Schema;
  teams: string[];
  placements: { value: string; label: string; options: Record<string, string[]> }[];
};

export function TenantForm({ template, schema, teams, placements }: TenantFormProps) {
  const [state, action, pending] = useActionState(previewTenantAction, { ok: false } as ActionState<Preview>);
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const [placement, setPlacement] = useState(values.placement ?? placements[0]?.value ?? "");
  const options = placements.find((p) => p.value === placement)?.options ?? {};
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form action={action} className="space-y-4" noValidate aria-label={`Request ${template.title}`}>
        <input type="hidden" name="template" value={template.name} />
        <input type="hidden" name="version" value={template.version} />
        <FormMessage ok={false} message={state.ok ? undefined : state.message} />
        {errors.template ? <p role="alert" className="text-sm text-danger">{errors.template}</p> : null}
        <Field id="team" label="Team" error={errors.team}>
          {(aria) => (
            <NativeSelect {...aria} name="team" defaultValue={values.team ?? teams[0]}>
              {teams.map((t) => <option key={t} value={t}>{t}</option>)}
            </NativeSelect>
          )}
        </Field>
        <Field id="tenantName" label="Tenant name" hint="Lowercase letters, digits and hyphens, 3–40 characters." error={errors.tenantName}>
          {(aria) => <Input {...aria} name="tenantName" defaultValue={values.tenantName} autoComplete="off" />}
        </Field>
        <Field id="placement" label="Placement target" error={errors.placement}>
          {(aria) => (
            <NativeSelect {...aria} name="placement" value={placement} onChange={(e) => setPlacement(e.target.value)}>
              {placements.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
            </NativeSelect>
          )}
        </Field>
        <SchemaFields schema={schema} options={options} values={values} errors={errors} />
        {errors.params ? <p role="alert" className="text-sm text-danger">{errors.params}</p> : null}
        <Button type="submit" disabled={pending}>{pending ? "Rendering…" : "Preview manifests"}</Button>
      </form>
      <section aria-labelledby="preview-h" aria-live="polite" className="min-w-0">
        <h2 id="preview-h" className="mb-2 text-base font-semibold">Preview</h2>
        {state.ok && state.data ? (
          <div className="space-y-3" data-testid="preview">
            <p className="text-sm text-muted">
              {state.data.files.length} files for <code>{state.data.template}</code>
              {state.data.expiresAt ? <>, expires {new Date(state.data.expiresAt).toUTCString()}</> : null}.
            </p>
            {Object.entries(state.data.outputs).length > 0 ? (
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
                {Object.entries(state.data.outputs).map(([k, v]) => (
                  <Fragment key={k}><dt className="font-medium">{k}</dt><dd className="break-all font-mono text-xs">{v}</dd></Fragment>
                ))}
              </dl>
            ) : null}
            {state.data.files.map((f) => (
              <details key={f.path} className="rounded-md border border-border bg-surface" open={f.path.endsWith("tenant.yaml")}>
                <summary className="cursor-pointer px-3 py-2 font-mono text-xs">{f.path}</summary>
                <pre className="overflow-x-auto border-t border-border p-3 text-xs">{f.content}</pre>
              </details>
            ))}
          </div>
        ) : (
          <p className="text-sm text-muted">Fill the form and choose “Preview manifests” to see every file the request writes to the GitOps repository.</p>
        )}
      </section>
    </div>
  );
}
