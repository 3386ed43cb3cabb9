import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// One JSON Schema serves the form, the server-side validation and the API. Berth's keywords:
// x-berth-options (enum filled from the chosen placement target), x-berth-error (friendly
// message for a pattern), x-berth-widget (form hint), x-berth-unique (on an array of objects: the
// property no two items may share, e.g. node pool names).
const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: true, coerceTypes: false });
addFormats(ajv);
for (const keyword of ["x-berth-options", "x-berth-error", "x-berth-widget", "x-berth-unique"]) ajv.addKeyword(keyword);

export type FieldErrors = Record<string, string>;
export type JsonSchema = Record<string, unknown>;

// Keyed by content: resolveSchema returns a fresh object per request, and compiling costs far more
// than validating.
const compiled = new Map<string, ValidateFunction>();

export function compileParameterSchema(schema: JsonSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(schema);
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, fn);
  }
  return fn;
}

// Line breaks and other control characters, bidi overrides and zero-width characters are never
// legitimate in a parameter and are the usual tools of YAML and look-alike injection.
const FORBIDDEN = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
const MAX_STRING = 1024;

function checkStrings(value: unknown, path: string, errors: FieldErrors): void {
  if (typeof value === "string") {
    if (FORBIDDEN.test(value))
      errors[path || "form"] ??= "Line breaks, control and invisible characters are not allowed.";
    else if (value.length > MAX_STRING) errors[path || "form"] ??= `Use at most ${MAX_STRING} characters.`;
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkStrings(v, path ? `${path}.${i}` : String(i), errors);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) checkStrings(v, path ? `${path}.${k}` : k, errors);
  }
}

function schemaAt(schema: JsonSchema, instancePath: string): JsonSchema {
  let cur: JsonSchema | undefined = schema;
  for (const seg of instancePath.split("/").filter(Boolean)) {
    if (!cur) break;
    cur = /^\d+$/.test(seg)
      ? (cur.items as JsonSchema | undefined)
      : (cur.properties as Record<string, JsonSchema> | undefined)?.[seg];
  }
  return cur ?? {};
}

function message(e: ErrorObject, schema: JsonSchema): [string, string] {
  const field = e.instancePath.split("/").filter(Boolean).join(".");
  const p = e.params as Record<string, unknown>;
  const own = schemaAt(schema, e.instancePath);
  switch (e.keyword) {
    case "required":
      return [[field, p.missingProperty].filter(Boolean).join("."), "Required."];
    case "additionalProperties":
      return [[field, p.additionalProperty].filter(Boolean).join("."), "Unknown parameter."];
    case "enum":
      return [field, `Choose one of: ${(p.allowedValues as unknown[]).join(", ")}.`];
    case "const":
      return [field, `Must be ${JSON.stringify(p.allowedValue)}.`];
    case "pattern":
      return [
        field,
        typeof own["x-berth-error"] === "string" ? own["x-berth-error"] : `Must match ${String(p.pattern)}.`,
      ];
    case "minLength":
      return [field, `Use at least ${String(p.limit)} characters.`];
    case "maxLength":
      return [field, `Use at most ${String(p.limit)} characters.`];
    case "minimum":
      return [field, `Must be at least ${String(p.limit)}.`];
    case "maximum":
      return [field, `Must be at most ${String(p.limit)}.`];
    case "minItems":
      return [field, `Add at least ${String(p.limit)}.`];
    case "maxItems":
      return [field, `Add at most ${String(p.limit)}.`];
    case "uniqueItems":
      return [field, "Entries must be unique."];
    case "type":
      return [field, `Must be ${p.type === "integer" ? "a whole number" : `a ${String(p.type)}`}.`];
    default:
      return [field, e.message ?? "Invalid value."];
  }
}

/** `x-berth-unique`: a repeated value is an error on the later item's field, naming the first. */
function checkUnique(schema: JsonSchema, value: unknown, path: string, errors: FieldErrors): void {
  if (Array.isArray(value)) {
    const key = schema["x-berth-unique"];
    const items = (schema.items as JsonSchema | undefined) ?? {};
    const seen = new Map<unknown, number>();
    for (const [i, item] of value.entries()) {
      const at = path ? `${path}.${i}` : String(i);
      if (typeof key === "string" && item && typeof item === "object" && key in item) {
        const v = (item as Record<string, unknown>)[key];
        const first = seen.get(v);
        if (first === undefined) seen.set(v, i);
        else errors[`${at}.${key}`] ??= `"${String(v)}" is already used by entry ${first + 1}; each must be unique.`;
      }
      checkUnique(items, item, at, errors);
    }
  } else if (value && typeof value === "object") {
    const props = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
    for (const [k, v] of Object.entries(value))
      if (props[k]) checkUnique(props[k], v, path ? `${path}.${k}` : k, errors);
  }
}

/** Fills `x-berth-options` enums from the placement target (e.g. its VM classes), within the template's own enum. */
export function resolveSchema(schema: JsonSchema, options: Record<string, readonly string[]>): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    const key = out["x-berth-options"];
    // A template's own enum is what it can render (e.g. the Kubernetes versions its vCluster runs):
    // the form then offers only the placement's options the template supports.
    const supported = Array.isArray(out.enum) ? new Set(out.enum) : null;
    if (typeof key === "string") out.enum = (options[key] ?? []).filter((o) => !supported || supported.has(o));
    return out;
  };
  return walk(schema) as JsonSchema;
}

/** Validates (and applies defaults to) parameters; every problem is reported under its field. */
export function validateParameters(
  schema: JsonSchema,
  input: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!input || typeof input !== "object" || Array.isArray(input))
    return { ok: false, errors: { form: "Parameters must be an object." } };
  const value = structuredClone(input) as Record<string, unknown>;
  checkStrings(value, "", errors);
  const validate = compileParameterSchema(schema);
  if (!validate(value)) {
    for (const e of validate.errors ?? []) {
      const [field, msg] = message(e, schema);
      errors[field || "form"] ??= msg;
    }
  }
  checkUnique(schema, value, "", errors);
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** Turns flat form fields (`nodePools.0.name`) into typed parameters following the schema. */
export function parametersFromForm(
  schema: JsonSchema,
  form: Record<string, string>,
  prefix = "param.",
): Record<string, unknown> {
  const convert = (s: JsonSchema, key: string): unknown => {
    const type = s.type;
    if (type === "object") {
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries((s.properties as Record<string, JsonSchema>) ?? {})) {
        const v = convert(sub, key ? `${key}.${name}` : name);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    if (type === "array") {
      const rows = new Set<number>();
      for (const k of Object.keys(form)) {
        const m = new RegExp(`^${(prefix + key).replace(/\./g, "\\.")}\\.(\\d+)(\\.|$)`).exec(k);
        if (m) rows.add(Number(m[1]));
      }
      return [...rows].sort((a, b) => a - b).map((i) => convert((s.items as JsonSchema) ?? {}, `${key}.${i}`));
    }
    const raw = form[prefix + key];
    if (type === "boolean") return raw === "on" || raw === "true";
    if (raw === undefined || raw === "") return undefined;
    if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw.trim());
    return raw;
  };
  return convert({ ...schema, type: "object" }, "") as Record<string, unknown>;
}
