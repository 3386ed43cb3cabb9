// Prints the README's configuration table from lib/config/schema.ts (the README test checks they match).
import { settingDocs } from "@/lib/config/schema";

export function configTable(): string {
  const rows = settingDocs.map(
    (s) => `| \`${s.name}\` | ${s.default.replace(/\|/g, "\\|")} | ${s.meaning.replace(/\|/g, "\\|")} |`,
  );
  return ["| variable | default | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(configTable());
