import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate";
import { TemplateError } from "./expressions";
import { loadTemplates, mergeCatalog, type FileSource } from "./load";
import { getCatalog } from "./catalog";

function memorySource(files: Record<string, string>): FileSource {
  return {
    kind: "git",
    list: async (dir) => Object.keys(files).filter((f) => f.startsWith(`${dir}/`)),
    read: async (f) => files[f] ?? "",
  };
}

const manifest = (name: string, version: string, extra = "") => `name: ${name}
version: ${version}
kind: shared-vcluster
title: Git ${name}
parameters: { type: object, properties: { size: { type: string, default: S } } }
policy: { autoApprove: false }
${extra}`;
const file = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: "{{ tenant.namespace }}" }\n';

describe("template loading", () => {
  it("reports invalid templates with their file and never throws", async () => {
    const { templates, errors } = await loadTemplates(
      memorySource({
        "templates/ok/1.0.0/template.yaml": manifest("ok", "1.0.0"),
        "templates/ok/1.0.0/files/ns.yaml": file,
        "templates/badver/1.x/template.yaml": manifest("badver", "1.x"),
        "templates/moved/2.0.0/template.yaml": manifest("other", "2.0.0"),
        "templates/schema/1.0.0/template.yaml": manifest("schema", "1.0.0").replace("type: string", "type: strnig"),
        "templates/alias/1.0.0/template.yaml": manifest("alias", "1.0.0", "values: { a: &x 1, b: *x }"),
        "templates/broken/1.0.0/template.yaml": "name: [unclosed",
      }),
      "templates",
    );
    expect(templates.map((t) => t.name)).toEqual(["ok"]);
    expect(errors.map((e) => e.file).sort()).toEqual([
      "templates/alias/1.0.0/template.yaml",
      "templates/badver/1.x/template.yaml",
      "templates/broken/1.0.0/template.yaml",
      "templates/moved/2.0.0/template.yaml",
      "templates/schema/1.0.0/template.yaml",
    ]);
    expect(errors.find((e) => e.file.includes("badver"))!.error).toContain("version: a semantic version");
    expect(errors.find((e) => e.file.includes("moved"))!.error).toContain("does not match other@2.0.0");
  });

  it("lets Git override a built-in name@version and add a new version beside it", async () => {
    const builtin = await getCatalog();
    const git = await loadTemplates(
      memorySource({
        "templates/shared-vcluster/1.0.0/template.yaml": manifest("shared-vcluster", "1.0.0"),
        "templates/shared-vcluster/1.0.0/files/ns.yaml": file,
        "templates/shared-vcluster/1.1.0/template.yaml": manifest("shared-vcluster", "1.1.0"),
        "templates/shared-vcluster/1.1.0/files/ns.yaml": file,
      }),
      "templates",
    );
    const merged = mergeCatalog(builtin, git);
    const versions = merged.templates.filter((t) => t.name === "shared-vcluster");
    expect(versions.map((t) => [t.version, t.source.kind, t.title])).toEqual([
      ["1.1.0", "git", "Git shared-vcluster"],
      ["1.0.0", "git", "Git shared-vcluster"],
    ]);
  });
});

describe("template language", () => {
  const scope = {
    params: { size: "M", pools: [{ n: "a" }, { n: "b" }], on: false },
    values: { sizes: { M: { cpu: 4 } } },
  };
  it("keeps types of whole-node lookups and interpolates inside text", () => {
    expect(evaluate({ cpu: "{{ values.sizes[params.size].cpu }}", name: "x-{{ params.size }}" }, scope)).toEqual({
      cpu: 4,
      name: "x-M",
    });
  });
  it("expands $each and drops mappings whose $if is false", () => {
    expect(
      evaluate(
        [
          { $each: "params.pools", $as: "p", $item: { name: "{{ p.n }}" } },
          { $if: "params.on", x: 1 },
          { $if: "!params.on", y: 2 },
        ],
        scope,
      ),
    ).toEqual([{ name: "a" }, { name: "b" }, { y: 2 }]);
  });
  it("never evaluates a value a second time", () => {
    expect(evaluate("{{ params.size }}", { params: { size: "{{ values.secret }}" }, values: { secret: "leak" } })).toBe(
      "{{ values.secret }}",
    );
  });
  it("names the missing path", () => {
    expect(() => evaluate("{{ params.nope }}", scope)).toThrow(TemplateError);
    expect(() => evaluate("{{ params.nope }}", scope)).toThrow('"params" has no "nope"');
  });
});
