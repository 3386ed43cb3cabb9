import { condition, interpolate, lookup, TemplateError, type Scope } from "./expressions";

// Directives on parsed YAML: `$if` on a mapping includes it conditionally; `$each`/`$as`/`$item`
// inside a sequence expands into one item per element; `{ $raw: "..." }` is copied verbatim (for
// text that is itself a template, such as External Secrets' Go templates). Everything else is
// copied, with strings interpolated exactly once.
const DIRECTIVES = new Set(["$if", "$each", "$as", "$item"]);
const SKIP = Symbol("skip");

export function evaluate(node: unknown, scope: Scope): unknown {
  const out = evalNode(node, scope);
  return out === SKIP ? null : out;
}

function evalNode(node: unknown, scope: Scope): unknown {
  if (typeof node === "string") return interpolate(node, scope);
  if (Array.isArray(node)) return evalSequence(node, scope);
  if (node !== null && typeof node === "object") return evalMapping(node as Record<string, unknown>, scope);
  return node;
}

function evalSequence(items: unknown[], scope: Scope): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    if (isRecord(item) && "$each" in item) {
      const list = lookup(String(item.$each), scope);
      const as = String(item.$as ?? "item");
      if (!Array.isArray(list)) throw new TemplateError(`$each "${String(item.$each)}" is not a list`);
      if (!("$item" in item)) throw new TemplateError(`$each "${String(item.$each)}" has no $item`);
      for (const element of list) {
        const v = evalNode(item.$item, { ...scope, [as]: element });
        if (v !== SKIP) out.push(v);
      }
      continue;
    }
    const v = evalNode(item, scope);
    if (v !== SKIP) out.push(v);
  }
  return out;
}

function evalMapping(map: Record<string, unknown>, scope: Scope): unknown {
  if ("$raw" in map) {
    if (Object.keys(map).length !== 1 || typeof map.$raw !== "string")
      throw new TemplateError("$raw takes a single string and no other keys");
    return map.$raw;
  }
  if ("$if" in map && !condition(String(map.$if), scope)) return SKIP;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) {
    if (DIRECTIVES.has(key)) continue;
    const k = interpolate(key, scope);
    if (typeof k !== "string" && typeof k !== "number")
      throw new TemplateError(`key "${key}" did not render to a string`);
    const v = evalNode(value, scope);
    if (v !== SKIP) out[String(k)] = v;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
