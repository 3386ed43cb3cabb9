// The tenant form's state, kept by the browser: one value per field it renders, exactly the value
// the field shows and the form submits. Pure, so the server-side tests can exercise it.

/** The subset of JSON Schema Berth templates use in forms (strings, enums, numbers, booleans, arrays of flat objects). */
export type FormSchema = {
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
  properties?: Record<string, FormSchema>;
  required?: string[];
  items?: FormSchema;
  "x-berth-options"?: string;
};

export type FormValues = Record<string, string>;

// An unchecked box sends nothing, which would read as "not given" (the default); a hidden field
// before it sends this instead, so every submission says what each box shows.
export const UNCHECKED = "false";
export const CHECKED = "on";

const PARAM = "param.";

/** The choices of a select: the placement's list (`x-berth-options`) or the schema's enum; none for free input. */
export function fieldChoices(schema: FormSchema, options: Record<string, string[]>): string[] | undefined {
  const key = schema["x-berth-options"];
  return key ? (options[key] ?? []) : schema.enum?.map(String);
}

function scalarValue(schema: FormSchema, options: Record<string, string[]>, given: string | undefined): string {
  if (schema.type === "boolean") {
    if (given === undefined) return schema.default === true ? CHECKED : UNCHECKED;
    return given === CHECKED || given === "true" ? CHECKED : UNCHECKED;
  }
  const choices = fieldChoices(schema, options);
  if (choices) {
    if (given !== undefined && choices.includes(given)) return given;
    const fallback = schema.default === undefined ? undefined : String(schema.default);
    return fallback !== undefined && choices.includes(fallback) ? fallback : (choices[0] ?? "");
  }
  return given ?? (schema.default === undefined ? "" : String(schema.default));
}

/** Rows of an array field present in the values (indices are kept contiguous from 0). */
export function arrayRowCount(values: FormValues, name: string): number {
  const prefix = `${PARAM}${name}.`;
  let rows = 0;
  for (const key of Object.keys(values)) {
    if (!key.startsWith(prefix)) continue;
    const index = Number(key.slice(prefix.length).split(".")[0]);
    if (Number.isInteger(index)) rows = Math.max(rows, index + 1);
  }
  return rows;
}

/**
 * Every field the form renders, with the value it shows: the given value where it is valid for
 * the field (e.g. still among the chosen placement's choices), else the schema's default.
 */
export function completeFormValues(
  schema: FormSchema,
  options: Record<string, string[]>,
  given: FormValues,
): FormValues {
  const out: FormValues = {};
  for (const [key, value] of Object.entries(given)) if (!key.startsWith(PARAM)) out[key] = value;
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    if (sub.type === "array") {
      const rows = arrayRowCount(given, name) || Math.max(sub.minItems ?? 0, 1);
      for (let i = 0; i < rows; i++)
        for (const [prop, item] of Object.entries(sub.items?.properties ?? {})) {
          const key = `${PARAM}${name}.${i}.${prop}`;
          out[key] = scalarValue(item, options, given[key]);
        }
    } else {
      const key = PARAM + name;
      out[key] = scalarValue(sub, options, given[key]);
    }
  }
  return out;
}

/** The values with one more row of an array field, filled with the item schema's defaults. */
export function addArrayRow(
  schema: FormSchema,
  options: Record<string, string[]>,
  values: FormValues,
  name: string,
): FormValues {
  const row = arrayRowCount(values, name);
  const out = { ...values };
  for (const [prop, item] of Object.entries(schema.properties?.[name]?.items?.properties ?? {}))
    out[`${PARAM}${name}.${row}.${prop}`] = scalarValue(item, options, undefined);
  return out;
}

/** The values without row `index` of an array field; the rows after it move up one place. */
export function removeArrayRow(values: FormValues, name: string, index: number): FormValues {
  const prefix = `${PARAM}${name}.`;
  const out: FormValues = {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(prefix)) {
      out[key] = value;
      continue;
    }
    const [first, ...rest] = key.slice(prefix.length).split(".");
    const i = Number(first);
    if (i === index) continue;
    out[i > index ? `${prefix}${i - 1}.${rest.join(".")}` : key] = value;
  }
  return out;
}

const COMPARED = new Set(["team", "tenantName", "placement"]);

/**
 * What a preview depends on, comparable between the form now and the values a preview was made
 * from (as the server received them): equal snapshots render the same files.
 */
export function formSnapshot(values: FormValues): string {
  return JSON.stringify(
    Object.entries(values)
      .filter(([key]) => key.startsWith(PARAM) || COMPARED.has(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
