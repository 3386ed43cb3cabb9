"use client";
import { type FormEvent, startTransition, useActionState, useState } from "react";
import { Field, FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import type { ActionState } from "@/lib/entry/action-core";
import { submitTenantAction, updateTenantAction } from "@/lib/entry/actions/requests";
import { previewTenantAction } from "@/lib/entry/actions/templates";
import type { RequestPreview } from "@/lib/requests/preview";
import {
  addArrayRow,
  arrayRowCount,
  completeFormValues,
  type FormValues,
  formSnapshot,
  removeArrayRow,
} from "@/lib/templates/form-state";
import { PreviewPanel, type PreviewStatus, SubmitNote } from "./preview-panel";
import { type Schema, SchemaFields } from "./schema-fields";

export type TenantFormProps = {
  template: { name: string; version: string; title: string };
  schema: Schema;
  teams: string[];
  placements: { value: string; label: string; options: Record<string, string[]> }[];
  // Set when changing an existing tenant: team, name and placement are fixed, values prefilled.
  existing?: { tenant: string; team: string; placement: string; values: Record<string, string> };
};

type Submitted = { requestId: string; tenantName: string; autoApprove: boolean };

const FINGERPRINT = "previewFingerprint";

/**
 * The request form. Its values live in React state and every field is controlled by them; the
 * actions are dispatched from onSubmit, so React never resets the form after an action (which
 * would put selects and checkboxes back to their first values). Submitting needs a preview of
 * exactly the values shown: the submit carries the preview's fingerprint and the server refuses
 * any other files.
 */
export function TenantForm({ template, schema, teams, placements, existing }: TenantFormProps) {
  const [previewState, preview, previewing] = useActionState(previewTenantAction, {
    ok: false,
  } as ActionState<RequestPreview>);
  const [submitState, submit, submitting] = useActionState(existing ? updateTenantAction : submitTenantAction, {
    ok: false,
  } as ActionState<Submitted>);
  const optionsFor = (placement: string) => placements.find((p) => p.value === placement)?.options ?? {};
  const [values, setValues] = useState<FormValues>(() => {
    const given = {
      team: existing?.team ?? teams[0] ?? "",
      tenantName: existing?.tenant ?? "",
      placement: existing?.placement ?? placements[0]?.value ?? "",
      ...existing?.values,
    };
    return completeFormValues(schema, optionsFor(given.placement), given);
  });
  const options = optionsFor(values.placement ?? "");
  // Messages and field errors of whichever button was used last.
  const [last, setLast] = useState<"preview" | "submit">("preview");
  const shown = last === "submit" ? submitState : previewState;
  const errors = shown.fieldErrors ?? {};

  const previewed = previewState.ok ? previewState.data : undefined;
  // The server echoes the values it rendered; the preview is current while the form still shows them.
  const refused = last === "submit" && submitState.fieldErrors?.[FINGERPRINT] !== undefined;
  const status: PreviewStatus = !previewed
    ? "none"
    : refused && submitState.values?.[FINGERPRINT] === previewed.fingerprint
      ? "refused"
      : formSnapshot(previewState.values ?? {}) === formSnapshot(values)
        ? "current"
        : "stale";

  const set = (field: string, value: string) =>
    setValues((v) =>
      field === "placement"
        ? completeFormValues(schema, optionsFor(value), { ...v, placement: value })
        : { ...v, [field]: value },
    );
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const intent = submitter?.value === "submit" ? "submit" : "preview";
    const form = new FormData(e.currentTarget);
    setLast(intent);
    startTransition(() => (intent === "submit" ? submit(form) : preview(form)));
  };
  const busy = previewing || submitting;
  const noteId = `${template.name}-submit-note`;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form
        action={preview}
        onSubmit={onSubmit}
        className="space-y-4"
        noValidate
        aria-label={`Request ${template.title}`}
      >
        <input type="hidden" name="template" value={template.name} />
        <input type="hidden" name="version" value={template.version} />
        {previewed ? <input type="hidden" name={FINGERPRINT} value={previewed.fingerprint} /> : null}
        {existing ? (
          <>
            <input type="hidden" name="tenant" value={existing.tenant} />
            <input type="hidden" name="team" value={existing.team} />
            <input type="hidden" name="tenantName" value={existing.tenant} />
            <input type="hidden" name="placement" value={existing.placement} />
          </>
        ) : null}
        <FormMessage ok={false} message={shown.ok ? undefined : shown.message} />
        {["template", "tenant"].map((k) =>
          errors[k] ? (
            <p key={k} role="alert" className="text-sm text-danger">
              {errors[k]}
            </p>
          ) : null,
        )}
        {existing ? null : (
          <>
            <Field id="team" label="Team" error={errors.team}>
              {(aria) => (
                <NativeSelect {...aria} name="team" value={values.team} onChange={(e) => set("team", e.target.value)}>
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
              {(aria) => (
                <Input
                  {...aria}
                  name="tenantName"
                  value={values.tenantName}
                  onChange={(e) => set("tenantName", e.target.value)}
                  autoComplete="off"
                />
              )}
            </Field>
            <Field id="placement" label="Placement target" error={errors.placement}>
              {(aria) => (
                <NativeSelect
                  {...aria}
                  name="placement"
                  value={values.placement}
                  onChange={(e) => set("placement", e.target.value)}
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
        <SchemaFields
          schema={schema}
          options={options}
          values={values}
          errors={errors}
          onChange={set}
          rowCount={(name) => arrayRowCount(values, name)}
          onAddRow={(name) => setValues((v) => addArrayRow(schema, options, v, name))}
          onRemoveRow={(name, index) => setValues((v) => removeArrayRow(v, name, index))}
        />
        {errors.params ? (
          <p role="alert" className="text-sm text-danger">
            {errors.params}
          </p>
        ) : null}
        <div className="space-y-2">
          <div className="flex flex-wrap gap-2">
            <Button type="submit" value="preview" variant="outline" disabled={busy}>
              {previewing ? "Rendering…" : "Preview manifests"}
            </Button>
            <Button
              type="submit"
              value="submit"
              formAction={submit}
              disabled={busy || status !== "current"}
              aria-describedby={noteId}
            >
              {submitting ? "Submitting…" : existing ? "Request change" : "Submit request"}
            </Button>
          </div>
          <SubmitNote id={noteId} status={status} error={errors[FINGERPRINT]} files={previewed?.files.length ?? 0} />
        </div>
      </form>
      <PreviewPanel preview={previewed} status={status} />
    </div>
  );
}
