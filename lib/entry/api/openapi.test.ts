import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

const API_DIR = path.resolve(import.meta.dirname, "../../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route.ts under app/api/v1 as [OpenAPI path, exported HTTP methods]. */
function routeFiles(): [string, string[]][] {
  const files = readdirSync(API_DIR, { recursive: true, encoding: "utf8" }).filter(
    (f) => path.basename(f) === "route.ts",
  );
  return files.map((f) => {
    const url =
      "/api/v1/" +
      path
        .dirname(f)
        .split(path.sep)
        .map((seg) => seg.replace(/^\[(.+)\]$/, "{$1}"))
        .join("/");
    const source = readFileSync(path.join(API_DIR, f), "utf8");
    const methods = METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(source));
    return [url, methods];
  });
}

type Operation = {
  operationId?: string;
  responses?: Record<string, { description?: string; content?: unknown }>;
  parameters?: { name: string; in: string }[];
};
const paths = openApiDocument.paths as unknown as Record<string, Record<string, Operation>>;
const operations = Object.entries(paths).flatMap(([p, ops]) =>
  Object.entries(ops).map(([m, op]) => ({ path: p, method: m, op })),
);

describe("OpenAPI document", () => {
  it("is an OpenAPI 3.1 document that survives a JSON round trip", () => {
    const text = JSON.stringify(openApiDocument);
    expect(JSON.parse(text)).toEqual(openApiDocument);
    expect(openApiDocument.openapi).toMatch(/^3\.1\./);
    expect(openApiDocument.components.securitySchemes.sessionCookie).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "authjs.session-token",
    });
  });

  it("describes every route file under app/api/v1 with each method it exports, and nothing else", () => {
    const routes = routeFiles();
    expect(routes.length).toBeGreaterThanOrEqual(7);
    for (const [url, methods] of routes) {
      expect(paths, `${url} is missing from paths`).toHaveProperty([url]);
      expect(methods.length, `${url} exports no handler`).toBeGreaterThan(0);
      expect(Object.keys(paths[url]!).sort()).toEqual(methods.map((m) => m.toLowerCase()).sort());
    }
    expect(Object.keys(paths).sort()).toEqual(routes.map(([u]) => u).sort());
  });

  it("gives each operation an id, a success response and described responses; path parameters are declared", () => {
    const ids = new Set<string>();
    for (const { path: p, method, op } of operations) {
      expect(op.operationId, `${method} ${p}`).toBeTruthy();
      ids.add(op.operationId!);
      const responses = Object.entries(op.responses ?? {});
      expect(responses.length, `${method} ${p} has no responses`).toBeGreaterThan(0);
      expect(
        responses.some(([status]) => /^2\d\d$/.test(status)),
        `${method} ${p} has no 2xx`,
      ).toBe(true);
      for (const [status, r] of responses) expect(r.description, `${method} ${p} ${status}`).toBeTruthy();
      for (const name of p.match(/\{(\w+)\}/g) ?? [])
        expect(
          op.parameters?.some((x) => x.in === "path" && `{${x.name}}` === name),
          `${method} ${p} ${name}`,
        ).toBe(true);
    }
    expect(ids.size).toBe(operations.length);
  });

  it("documents the error shape on every protected operation", () => {
    for (const { path: p, method, op } of operations) {
      if (p.endsWith("openapi.json")) continue;
      for (const status of ["401", "500"])
        expect(JSON.stringify(op.responses?.[status]), `${method} ${p} ${status}`).toContain(
          "#/components/schemas/Error",
        );
    }
  });

  it("every $ref points at a defined schema", () => {
    const refs = [...JSON.stringify(openApiDocument).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const name of refs) expect(openApiDocument.components.schemas, name).toHaveProperty([name]);
  });
});
