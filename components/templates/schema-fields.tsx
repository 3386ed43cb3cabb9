"use client";
import { Plus, Trash2 } from "lucide-react";
import { Field } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import { CHECKED, fieldChoices, type FormSchema, type FormValues, UNCHECKED } from "@/lib/templates/form-state";

// A small renderer of our own for the subset of JSON Schema Berth templates use (strings, enums,
// numbers, booleans, arrays of flat objects). The server validates with the same schema. Every
// field is controlled by the form's values: what a field shows is what the form submits, also
// after React resets the form following an action.
export type Schema = FormSchema;

type Props = {
  schema: Schema;
  options: Record<string, string[]>;
  values: FormValues;
  errors: Record<string, string>;
  onChange: (field: string, value: string) => void;
  onAddRow: (array: string) => void;
  onRemoveRow: (array: string, index: number) => void;
};

type ScalarProps = Pick<Props, "options" | "values" | "errors" | "onChange"> & {
  name: string;
  schema: Schema;
  required: boolean;
  label?: string;
};

function ScalarField({ name, schema, required, options, values, errors, onChange, label }: ScalarProps) {
  const field = `param.${name}`;
  const id = field.replace(/\./g, "-");
  const choices = fieldChoices(schema, options);
  const value = values[field] ?? "";
  const title = `${label ?? schema.title ?? name}${required ? "" : " (optional)"}`;
  if (schema.type === "boolean") {
    const errorId = errors[field] ? `${id}-error` : undefined;
    const hintId = schema.description ? `${id}-hint` : undefined;
    return (
      <div className="flex items-start gap-2">
        {/* Sent when the box is unchecked (an unchecked box sends nothing); the box overrides it. */}
        <input type="hidden" name={field} value={UNCHECKED} />
        <input
          id={id}
          type="checkbox"
          name={field}
          value={CHECKED}
          checked={value === CHECKED}
          onChange={(e) => onChange(field, e.target.checked ? CHECKED : UNCHECKED)}
          className="mt-1 size-4"
          aria-invalid={errorId ? true : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        />
        <div>
          <label htmlFor={id} className="text-sm font-medium">
            {title}
          </label>
          {hintId ? (
            <p id={hintId} className="text-xs text-muted">
              {schema.description}
            </p>
          ) : null}
          {errorId ? (
            <p id={errorId} role="alert" className="text-sm text-danger">
              {errors[field]}
            </p>
          ) : null}
        </div>
      </div>
    );
  }
  return (
    <Field id={id} label={title} hint={schema.description} error={errors[field]}>
      {(aria) =>
        choices ? (
          <NativeSelect {...aria} name={field} value={value} onChange={(e) => onChange(field, e.target.value)}>
            {choices.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </NativeSelect>
        ) : (
          <Input
            {...aria}
            name={field}
            value={value}
            onChange={(e) => onChange(field, e.target.value)}
            inputMode={schema.type === "integer" || schema.type === "number" ? "numeric" : undefined}
            maxLength={schema.maxLength}
          />
        )
      }
    </Field>
  );
}

function ArrayField({
  name,
  schema,
  rows,
  ...rest
}: Omit<Props, "schema"> & { name: string; schema: Schema; rows: number }) {
  const item = schema.items ?? {};
  const title = schema.title ?? name;
  return (
    <fieldset className="space-y-3 rounded-md border border-border p-3">
      <legend className="px-1 text-sm font-medium">{title}</legend>
      {rest.errors[`param.${name}`] ? (
        <p role="alert" className="text-sm text-danger">
          {rest.errors[`param.${name}`]}
        </p>
      ) : null}
      {Array.from({ length: rows }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a row is its position; removing one moves the values below it up (removeArrayRow).
        <div key={index} className="grid gap-3 sm:grid-cols-[repeat(3,1fr)_auto] sm:items-end">
          {Object.entries(item.properties ?? {}).map(([prop, sub]) => (
            <ScalarField
              key={prop}
              name={`${name}.${index}.${prop}`}
              label={`${sub.title ?? prop} (${index + 1})`}
              schema={sub}
              required={item.required?.includes(prop) ?? false}
              {...rest}
            />
          ))}
          <Button
            type="button"
            variant="outline"
            size="icon"
            aria-label={`Remove ${title} ${index + 1}`}
            disabled={rows <= (schema.minItems ?? 0)}
            onClick={() => rest.onRemoveRow(name, index)}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={rows >= (schema.maxItems ?? 10)}
        onClick={() => rest.onAddRow(name)}
      >
        <Plus aria-hidden /> Add
      </Button>
    </fieldset>
  );
}

export function SchemaFields({ schema, rowCount, ...rest }: Props & { rowCount: (array: string) => number }) {
  return (
    <div className="space-y-4">
      {Object.entries(schema.properties ?? {}).map(([name, sub]) =>
        sub.type === "array" ? (
          <ArrayField key={name} name={name} schema={sub} rows={rowCount(name)} {...rest} />
        ) : (
          <ScalarField
            key={name}
            name={name}
            schema={sub}
            required={schema.required?.includes(name) ?? false}
            {...rest}
          />
        ),
      )}
    </div>
  );
}
