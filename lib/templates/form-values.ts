import { CHECKED, UNCHECKED } from "./form-state";

/** The inverse of parametersFromForm: typed parameters → `param.<path>` form values (to prefill a change). */
export function formFieldsFromParameters(params: Record<string, unknown>, prefix = "param."): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: unknown, key: string) => {
    if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(v, `${key}.${i}`);
    else if (value !== null && typeof value === "object")
      for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k);
    // A false box is said explicitly: left out, the form would show the default.
    else if (typeof value === "boolean") out[prefix + key] = value ? CHECKED : UNCHECKED;
    else if (value !== undefined && value !== null) out[prefix + key] = String(value);
  };
  walk(params, "");
  return out;
}
