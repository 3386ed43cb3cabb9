import { describe, expect, it } from "vitest";
import type { FileChange } from "@/lib/gitops/types";
import { FINGERPRINT_PATTERN, fingerprintChanges } from "./fingerprint";
import { prepareExample } from "./test-support";

const files: FileChange[] = [
  { path: "tenants/a/tenant.yaml", content: "kind: Tenant\n" },
  { path: "tenants/a/quota.yaml", content: 'requests.cpu: "4"\n' },
];

describe("fingerprintChanges", () => {
  it("is a sha256 that depends on the set of files, not their order", () => {
    const fp = fingerprintChanges(files);
    expect(fp).toMatch(FINGERPRINT_PATTERN);
    expect(fingerprintChanges([...files].reverse())).toBe(fp);
    expect(fingerprintChanges(structuredClone(files))).toBe(fp);
  });

  it("changes with any byte of a path or a file, and with a deletion", () => {
    const fp = fingerprintChanges(files);
    const variants: FileChange[][] = [
      [files[0]!, { path: "tenants/a/quota.yaml", content: 'requests.cpu: "8"\n' }],
      [files[0]!, { path: "tenants/a/quota.yml", content: 'requests.cpu: "4"\n' }],
      [files[0]!, { path: "tenants/a/quota.yaml", content: 'requests.cpu: "4"' }],
      [files[0]!],
      [...files, { path: "tenants/a/argocd.yaml", delete: true }],
      [files[0]!, { path: "tenants/a/quota.yaml", delete: true }],
    ];
    const all = variants.map(fingerprintChanges);
    expect(all).not.toContain(fp);
    expect(new Set(all).size).toBe(all.length);
  });

  it("never confuses where a path ends and its content begins", () => {
    expect(fingerprintChanges([{ path: "a", content: "bc" }])).not.toBe(
      fingerprintChanges([{ path: "ab", content: "c" }]),
    );
    expect(
      fingerprintChanges([
        { path: "a", content: "" },
        { path: "b", content: "" },
      ]),
    ).not.toBe(fingerprintChanges([{ path: "a", content: "1:b" }]));
  });

  it("counts bytes, not characters (UTF-8)", () => {
    expect(fingerprintChanges([{ path: "p", content: "é" }])).not.toBe(
      fingerprintChanges([{ path: "p", content: "e\u0301" }]),
    );
  });

  it("is the same for the same rendering of every built-in template, and differs for another value", async () => {
    for (const name of ["sandbox", "shared-vcluster", "dedicated-onprem", "dedicated-aks"]) {
      const a = await prepareExample(name);
      const b = await prepareExample(name);
      if (!a.ok || !b.ok) throw new Error(`${name} did not render`);
      expect(fingerprintChanges(b.value.rendered.files), name).toBe(fingerprintChanges(a.value.rendered.files));
      const other = await prepareExample(name, { tenantName: "demo2" });
      if (!other.ok) throw new Error(`${name} did not render`);
      expect(fingerprintChanges(other.value.rendered.files), name).not.toBe(fingerprintChanges(a.value.rendered.files));
    }
  });
});
