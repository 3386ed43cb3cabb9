import { describe, expect, it } from "vitest";
import { findTemplate, getCatalog, placementChoices, placementOptions } from "@/lib/templates/catalog";
import { parametersFromForm, resolveSchema, validateParameters, type JsonSchema } from "@/lib/templates/params";
import { EXAMPLES, prepareExample, TEST_PLACEMENTS } from "@/lib/templates/test-support";
import { flattenParameters } from "./json-params";

async function templateOf(name: string) {
  const t = findTemplate(await getCatalog(), name);
  if (!t) throw new Error(`no template ${name}`);
  return t;
}

describe("flattenParameters round trip through parametersFromForm", () => {
  for (const [name, example] of Object.entries(EXAMPLES)) {
    it(`${name}: JSON → fields → parameters validates to the same value as the JSON itself`, async () => {
      const t = await templateOf(name);
      const flat = flattenParameters(t.parameters, example.params);
      expect(flat.errors).toEqual({});
      const choice = placementChoices(t, TEST_PLACEMENTS).find((c) => c.value === example.placement)!;
      const schema = resolveSchema(t.parameters, placementOptions(choice.placement));
      const viaForm = validateParameters(schema, parametersFromForm(t.parameters, flat.fields));
      const direct = validateParameters(schema, example.params);
      expect(viaForm).toEqual(direct);
      expect(viaForm.ok).toBe(true);
      // And the whole request prepares as the JSON one does.
      const prepared = await prepareExample(name, { params: parametersFromForm(t.parameters, flat.fields) });
      expect(prepared.ok).toBe(true);
    });
  }

  it("keeps every explicit value, including false booleans and arrays of objects", async () => {
    const t = await templateOf("shared-vcluster");
    const params = {
      size: "L",
      kubernetesVersion: "1.32",
      apiExposure: "internal",
      argocd: false,
      kyvernoBaseline: true,
      purpose: "x",
    };
    const flat = flattenParameters(t.parameters, params);
    expect(flat.fields).toMatchObject({ "param.argocd": "false", "param.kyvernoBaseline": "on", "param.size": "L" });
    expect(parametersFromForm(t.parameters, flat.fields)).toEqual(params);

    const aks = await templateOf("dedicated-aks");
    const pools = {
      kubernetesVersion: "1.32",
      systemVmSize: "Standard_D4s_v5",
      systemNodes: 3,
      nodePools: [
        { name: "a", vmSize: "x", replicas: 2 },
        { name: "b", vmSize: "y", replicas: 7 },
      ],
      purpose: "p",
    };
    const aksFlat = flattenParameters(aks.parameters, pools);
    expect(aksFlat.fields).toMatchObject({
      "param.nodePools.0.name": "a",
      "param.nodePools.1.replicas": "7",
      "param.systemNodes": "3",
    });
    expect(parametersFromForm(aks.parameters, aksFlat.fields)).toEqual(pools);
  });

  it("omitted booleans take the schema default, not the form's unchecked false", async () => {
    const t = await templateOf("shared-vcluster");
    const flat = flattenParameters(t.parameters, { size: "S" });
    expect(parametersFromForm(t.parameters, flat.fields)).toMatchObject({ argocd: true, kyvernoBaseline: true });
  });
});

describe("flattenParameters type checks", () => {
  const schema: JsonSchema = {
    type: "object",
    properties: {
      size: { type: "string", enum: ["S", "M"] },
      count: { type: "integer" },
      on: { type: "boolean" },
      pools: {
        type: "array",
        items: { type: "object", properties: { name: { type: "string" }, replicas: { type: "integer" } } },
      },
    },
  };

  it("names the parameter of every value of the wrong JSON type", () => {
    const flat = flattenParameters(schema, { size: 5, count: "3", on: "yes", pools: [{ name: 1, replicas: 2 }] });
    expect(flat.errors).toEqual({
      "param.size": "Must be a string.",
      "param.count": "Must be a whole number.",
      "param.on": "Must be a boolean.",
      "param.pools.0.name": "Must be a string.",
    });
    // Bad values are left out, so the schema does not report them a second time.
    expect(flat.fields).toEqual({ "param.pools.0.replicas": "2" });
  });

  it("reports unknown keys and non-objects; null means not given", () => {
    expect(flattenParameters(schema, { sizes: "S" }).errors).toEqual({ "param.sizes": "Unknown parameter." });
    expect(flattenParameters(schema, { pools: { name: "a" } }).errors).toEqual({ "param.pools": "Must be an array." });
    expect(flattenParameters(schema, ["S"]).errors).toEqual({ parameters: "Parameters must be an object." });
    expect(flattenParameters(schema, { size: null, count: null })).toEqual({ fields: {}, errors: {} });
  });

  it("leaves value checks (enum, ranges) to the template's schema", () => {
    const flat = flattenParameters(schema, { size: "XXL", count: -4 });
    expect(flat).toEqual({ fields: { "param.size": "XXL", "param.count": "-4" }, errors: {} });
    expect(validateParameters(schema, parametersFromForm(schema, flat.fields))).toMatchObject({
      ok: false,
      errors: { size: expect.stringContaining("Choose one of") },
    });
  });
});
