import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configTable } from "@/scripts/config-table";
import { envSchema, settingDocs } from "./schema";

describe("README configuration table", () => {
  it("documents every setting the schema reads", () => {
    const documented = settingDocs.map((s) => s.name).sort();
    const read = Object.keys(envSchema.shape)
      .filter((k) => k !== "NODE_ENV")
      .sort();
    expect(documented).toEqual(read);
  });

  it("is the table the README shows", () => {
    expect(readFileSync("README.md", "utf8")).toContain(configTable());
  });
});
