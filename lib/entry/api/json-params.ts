// Adapts typed JSON parameters to the flat `param.<path>` fields the tenant form sends, so an API
// request goes through exactly the same server-side validation (parametersFromForm + the
// template's JSON Schema in previewTenant) as a form submission.
import type { FieldErrors, JsonSchema } from "@/lib/templates/params";

export type FlatParameters = { fields: Record<string, string>; errors: FieldErrors };

const PREFIX = "param.";

// The form carries strings only, so "replicas": "3" and "replicas": 3 would become the same
// field. A typed API must refuse the former; these are the only checks done here, everything
// else (enum, pattern, ranges, required) is left to the template's schema.
const TYPE_MESSAGE: Record<string, string> = {
  string: "Must be a string.",
  integer: "Must be a whole number.",
  number: "Must be a number.",
  boolean: "Must be a boolean.",
  array: "Must be an array.",
  object: "Must be an object.",
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Flattens `{ nodePools: [{ name: "a" }], argocd: true }` into `{ "param.nodePools.0.name": "a",
 * "param.argocd": "on" }` following the template's parameter schema. Values of the wrong JSON
 * type and unknown keys are reported under `param.<path>` and left out of `fields`.
 */
export function flattenParameters(schema: JsonSchema, params: unknown): FlatParameters {
  const fields: Record<string, string> = {};
  const errors: FieldErrors = {};
  const fail = (path: string, message: string) => {
    errors[path ? PREFIX + path : "parameters"] ??= message;
  };

  const walk = (s: JsonSchema, value: unknown, path: string): void => {
    const type = typeof s.type === "string" ? s.type : undefined;
    // null means "not given", like an empty form field: the schema default applies.
    if (value === null) value = undefined;
    if (type === "object" || (type === undefined && isPlainObject(value))) {
      if (value === undefined) return;
      if (!isPlainObject(value)) {
        fail(path, TYPE_MESSAGE.object!);
        return;
      }
      const props = (s.properties as Record<string, JsonSchema> | undefined) ?? {};
      for (const key of Object.keys(value)) if (!(key in props)) fail(join(path, key), "Unknown parameter.");
      for (const [key, sub] of Object.entries(props)) walk(sub, value[key], join(path, key));
      return;
    }
    if (type === "array" || (type === undefined && Array.isArray(value))) {
      if (value === undefined) return;
      if (!Array.isArray(value)) {
        fail(path, TYPE_MESSAGE.array!);
        return;
      }
      for (const [i, item] of value.entries())
        walk((s.items as JsonSchema | undefined) ?? {}, item, join(path, String(i)));
      return;
    }
    if (type === "boolean") {
      // An unchecked box reads as false in the form; an omitted JSON property means "the default".
      if (value === undefined) {
        if (s.default === true) fields[PREFIX + path] = "on";
        return;
      }
      if (typeof value !== "boolean") {
        fail(path, TYPE_MESSAGE.boolean!);
        return;
      }
      // "false" rather than absent keeps a row of an array alive when all its fields are false.
      fields[PREFIX + path] = value ? "on" : "false";
      return;
    }
    if (value === undefined) return;
    if (type === "integer" || type === "number") {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        fail(path, TYPE_MESSAGE[type]!);
        return;
      }
      fields[PREFIX + path] = String(value);
      return;
    }
    if (type === "string") {
      if (typeof value !== "string") {
        fail(path, TYPE_MESSAGE.string!);
        return;
      }
      fields[PREFIX + path] = value;
      return;
    }
    // No declared type: pass scalars on as the form would, and let the schema judge them.
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      fields[PREFIX + path] = String(value);
    else fail(path, "Unsupported value.");
  };

  if (params !== undefined && params !== null && !isPlainObject(params))
    return { fields, errors: { parameters: "Parameters must be an object." } };
  walk({ ...schema, type: "object" }, params ?? {}, "");
  return { fields, errors };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
