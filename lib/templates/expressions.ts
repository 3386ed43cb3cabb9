// The template language: `{{ path }}` lookups on parsed YAML nodes. Values are inserted as data,
// never re-parsed, so a parameter can not add keys, documents, anchors or further expressions.
export type Scope = Record<string, unknown>;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*/;

/** Resolves `a.b[c.d][0]['x']` against the scope; throws TemplateError on a missing path. */
export function lookup(expr: string, scope: Scope): unknown {
  let rest = expr.trim();
  const head = IDENT.exec(rest);
  if (!head) throw new TemplateError(`invalid expression "${expr}"`);
  let value: unknown = scope[head[0]];
  let path = head[0];
  if (!Object.hasOwn(scope, head[0])) throw new TemplateError(`unknown name "${head[0]}" in "${expr}"`);
  rest = rest.slice(head[0].length);
  while (rest.length > 0) {
    let key: string | number;
    if (rest.startsWith(".")) {
      const m = IDENT.exec(rest.slice(1));
      if (!m) throw new TemplateError(`invalid expression "${expr}"`);
      key = m[0];
      rest = rest.slice(1 + m[0].length);
    } else if (rest.startsWith("[")) {
      const end = matchingBracket(rest);
      const inner = rest.slice(1, end).trim();
      if (/^\d+$/.test(inner)) key = Number(inner);
      else if (/^'[^']*'$/.test(inner)) key = inner.slice(1, -1);
      else {
        const k = lookup(inner, scope);
        if (typeof k !== "string" && typeof k !== "number")
          throw new TemplateError(`index "${inner}" is not a string or number in "${expr}"`);
        key = k;
      }
      rest = rest.slice(end + 1);
    } else {
      throw new TemplateError(`invalid expression "${expr}"`);
    }
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) {
      throw new TemplateError(`"${path}" has no "${String(key)}" (in "${expr}")`);
    }
    value = (value as Record<string | number, unknown>)[key];
    path = `${path}.${String(key)}`;
  }
  return value;
}

function matchingBracket(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "[") depth++;
    else if (s[i] === "]" && --depth === 0) return i;
  }
  throw new TemplateError(`unbalanced [ in "${s}"`);
}

/** `path`, `!path`, `path == 'lit'`, `path != 'lit'` (numbers and true/false also allowed). */
export function condition(expr: string, scope: Scope): boolean {
  const m = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(expr.trim());
  if (m) {
    const left = lookup(m[1]!, scope);
    const raw = m[3]!.trim();
    const right = /^'.*'$/.test(raw)
      ? raw.slice(1, -1)
      : raw === "true"
        ? true
        : raw === "false"
          ? false
          : /^-?\d+(\.\d+)?$/.test(raw)
            ? Number(raw)
            : lookup(raw, scope);
    return m[2] === "==" ? left === right : left !== right;
  }
  const neg = expr.trim().startsWith("!");
  const value = lookup(neg ? expr.trim().slice(1) : expr, scope);
  const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
  return neg ? !truthy : truthy;
}

const WHOLE = /^\{\{([^{}]+)\}\}$/;
const PART = /\{\{([^{}]+)\}\}/g;

/** A string node: a lone `{{ x }}` keeps x's type; inside text, x must be a scalar. */
export function interpolate(text: string, scope: Scope): unknown {
  const whole = WHOLE.exec(text.trim());
  if (whole && text.trim() === text) return lookup(whole[1]!, scope);
  return text.replace(PART, (_, expr: string) => {
    const v = lookup(expr, scope);
    if (v !== null && typeof v === "object")
      throw new TemplateError(`"${expr.trim()}" is not a scalar and cannot be part of a string`);
    return String(v);
  });
}
