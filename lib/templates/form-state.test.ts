import { describe, expect, it } from "vitest";
import { formValues } from "@/lib/entry/action-core";
import { getCatalog, findTemplate } from "./catalog";
import { formFieldsFromParameters } from "./form-values";
import {
  addArrayRow,
  arrayRowCount,
  completeFormValues,
  type FormSchema,
  formSnapshot,
  removeArrayRow,
} from "./form-state";
import { parametersFromForm, validateParameters } from "./params";

const schemaOf = async (name: string) => findTemplate(await getCatalog(), name)!.parameters as FormSchema;
const vc = { kubernetesVersions: ["1.32", "1.31"] };
const tanzu = { kubernetesVersions: ["v1.32"], vmClasses: ["small", "large"], storageClasses: ["vsan"] };

/** What the browser sends for these values: a hidden "false" before every checkbox, the box only when checked. */
function browserFormData(values: Record<string, string>, checkboxes: string[]): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(values)) {
    if (checkboxes.includes(k)) {
      form.append(k, "false");
      if (v === "on") form.append(k, "on");
    } else form.append(k, v);
  }
  return form;
}

describe("tenant form state", () => {
  it("starts from every field's default, with an explicit value for each box", async () => {
    const values = completeFormValues(await schemaOf("shared-vcluster"), vc, { team: "payments" });
    expect(values).toEqual({
      team: "payments",
      "param.size": "S",
      "param.kubernetesVersion": "1.32",
      "param.apiExposure": "ingress",
      "param.argocd": "on",
      "param.kyvernoBaseline": "on",
      "param.purpose": "",
    });
  });

  it("keeps a changed value of every kind, and an unchecked box stays unchecked", async () => {
    const schema = await schemaOf("shared-vcluster");
    const changed = {
      "param.size": "M",
      "param.kubernetesVersion": "1.31",
      "param.apiExposure": "internal",
      "param.argocd": "false",
      "param.kyvernoBaseline": "on",
      "param.purpose": "staging",
    };
    expect(completeFormValues(schema, vc, changed)).toEqual(changed);
  });

  it("a choice the new placement does not offer falls back to the default, else the first choice", async () => {
    const schema = await schemaOf("dedicated-onprem");
    const values = completeFormValues(schema, tanzu, { "param.vmClass": "huge", "param.controlPlaneReplicas": "1" });
    expect(values["param.vmClass"]).toBe("small");
    expect(values["param.controlPlaneReplicas"]).toBe("1");
    expect(completeFormValues(schema, tanzu, { "param.controlPlaneReplicas": "2" })["param.controlPlaneReplicas"]).toBe(
      "3",
    );
  });

  it("adds rows with defaults and removes one by moving the rows below it up", async () => {
    const schema = await schemaOf("dedicated-onprem");
    let values = completeFormValues(schema, tanzu, {});
    expect(arrayRowCount(values, "nodePools")).toBe(1);
    values = { ...values, "param.nodePools.0.name": "a" };
    values = addArrayRow(schema, tanzu, values, "nodePools");
    values = { ...values, "param.nodePools.1.name": "b", "param.nodePools.1.vmClass": "large" };
    values = addArrayRow(schema, tanzu, values, "nodePools");
    values = { ...values, "param.nodePools.2.name": "c", "param.nodePools.2.replicas": "5" };
    expect(arrayRowCount(values, "nodePools")).toBe(3);
    const removed = removeArrayRow(values, "nodePools", 1);
    expect(arrayRowCount(removed, "nodePools")).toBe(2);
    expect(parametersFromForm(schema, removed).nodePools).toEqual([
      { name: "a", vmClass: "small" },
      { name: "c", vmClass: "small", replicas: 5 },
    ]);
  });

  it("the snapshot of the form equals the snapshot of what the server received from it", async () => {
    const schema = await schemaOf("shared-vcluster");
    const values = completeFormValues(schema, vc, {
      team: "payments",
      tenantName: "pay",
      placement: "in-cluster/shared",
      "param.argocd": "false",
      "param.size": "M",
    });
    const received = formValues(
      browserFormData({ template: "shared-vcluster", ...values }, ["param.argocd", "param.kyvernoBaseline"]),
    );
    expect(formSnapshot(received)).toBe(formSnapshot(values));
    expect(formSnapshot({ ...received, "param.argocd": "on" })).not.toBe(formSnapshot(values));
    expect(formSnapshot({ ...received, tenantName: "pay2" })).not.toBe(formSnapshot(values));
  });

  it("a change form prefilled from a tenant submits the tenant's parameters unchanged, false boxes included", async () => {
    for (const [name, options, params] of [
      [
        "shared-vcluster",
        vc,
        { size: "L", kubernetesVersion: "1.32", apiExposure: "loadbalancer", argocd: false, kyvernoBaseline: false },
      ],
      [
        "dedicated-onprem",
        tanzu,
        {
          kubernetesVersion: "v1.32",
          controlPlaneReplicas: 1,
          vmClass: "large",
          storageClass: "vsan",
          nodePools: [
            { name: "a", vmClass: "large", replicas: 2 },
            { name: "b", vmClass: "small", replicas: 7 },
          ],
        },
      ],
    ] as const) {
      const schema = await schemaOf(name);
      const typed = validateParameters(schema as Record<string, unknown>, structuredClone(params));
      if (!typed.ok) throw new Error(JSON.stringify(typed.errors));
      const values = completeFormValues(schema, options, formFieldsFromParameters(typed.value));
      const sent = formValues(browserFormData(values, ["param.argocd", "param.kyvernoBaseline"]));
      const again = validateParameters(schema as Record<string, unknown>, parametersFromForm(schema, sent));
      expect(again, name).toEqual(typed);
    }
  });
});
