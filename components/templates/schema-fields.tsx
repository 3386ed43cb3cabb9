"use client";
import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { Field } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";

// A small renderer of our own for the subset of JSON Schema Berth templates use (strings, enums,
// numbers, booleans, arrays of flat objects). The server validates with the same schema.
export type Schema = {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  "x-berth-options"?: string;
};

type Props = {
  schema: Schema;
  options: Record<string, string[]>;
  values: Record<string, string>;
  errors: Record<string, string>;
};

function ScalarField({
  name,
  schema,
  required,
  options,
  values,
  errors,
  label,
}: { name: string; schema: Schema; required: boolean; label?: string } & Omit<Props, "schema">) {
  const field = `param.${name}`;
  const id = field.replace(/\./g, "-");
  const choices = schema["x-berth-options"] ? (options[schema["x-berth-options"]] ?? []) : schema.enum?.map(String);
  const value = values[field] ?? (schema.default === undefined ? "" : String(schema.default));
  const title = `${label ?? schema.title ?? name}${required ? "" : " (optional)"}`;
  if (schema.type === "boolean") {
    return (
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          name={field}
          defaultChecked={field in values ? values[field] === "on" : schema.default === true}
          className="mt-1 size-4"
          aria-describedby={schema.description ? `${id}-hint` : undefined}
        />
        <div>
          <label htmlFor={id} className="text-sm font-medium">
            {title}
          </label>
          {schema.description ? (
            <p id={`${id}-hint`} className="text-xs text-muted">
              {schema.description}
            </p>
          ) : null}
          {errors[field] ? (
            <p role="alert" className="text-sm text-danger">
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
          <NativeSelect
            {...aria}
            name={field}
            defaultValue={choices.includes(value) ? value : choices[0]}
            key={choices.join("|")}
          >
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
            defaultValue={value}
            inputMode={schema.type === "integer" || schema.type === "number" ? "numeric" : undefined}
            maxLength={schema.maxLength}
          />
        )
      }
    </Field>
  );
}

function ArrayField({ name, schema, ...rest }: { name: string; schema: Schema } & Omit<Props, "schema">) {
  const initial = Math.max(
    schema.minItems ?? 0,
    new Set(
      Object.keys(rest.values)
        .filter((k) => k.startsWith(`param.${name}.`))
        .map((k) => k.split(".")[2]),
    ).size,
    1,
  );
  const [rows, setRows] = useState(Array.from({ length: initial }, (_, i) => i));
  const item = schema.items ?? {};
  return (
    <fieldset className="space-y-3 rounded-md border border-border p-3">
      <legend className="px-1 text-sm font-medium">{schema.title ?? name}</legend>
      {rest.errors[`param.${name}`] ? (
        <p role="alert" className="text-sm text-danger">
          {rest.errors[`param.${name}`]}
        </p>
      ) : null}
      {rows.map((row, index) => (
        <div key={row} className="grid gap-3 sm:grid-cols-[repeat(3,1fr)_auto] sm:items-end">
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
            aria-label={`Remove ${schema.title ?? name} ${index + 1}`}
            disabled={rows.length <= (schema.minItems ?? 0)}
            onClick={() => setRows(rows.filter((r) => r !== row))}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={rows.length >= (schema.maxItems ?? 10)}
        onClick={() => setRows([...rows, Math.max(-1, ...rows) + 1])}
      >
        <Plus aria-hidden /> Add
      </Button>
    </fieldset>
  );
}

export function SchemaFields({ schema, ...rest }: Props) {
  return (
    <div className="space-y-4">
      {Object.entries(schema.properties ?? {}).map(([name, sub]) =>
        sub.type === "array" ? (
          <ArrayField key={name} name={name} schema={sub} {...rest} />
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
