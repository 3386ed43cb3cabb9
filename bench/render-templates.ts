// Rendering time per built-in template (validation + render), and for 1,000 tenants in a row.
// Run: node_modules/.bin/tsx --import ./lib/entry/server-only-hook.ts bench/render-templates.ts
import { getCatalog } from "@/lib/templates/catalog";
import { EXAMPLES, prepareExample } from "@/lib/templates/test-support";

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

await getCatalog(); // load once, as the server does
for (const name of Object.keys(EXAMPLES)) {
  for (let i = 0; i < 50; i++) await prepareExample(name); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    const r = await prepareExample(name, { tenantName: `bench-${i}` });
    times.push(performance.now() - t0);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(17)} n=500  p50 ${fmt(pct(times, 50))}  p95 ${fmt(pct(times, 95))}  max ${fmt(times.at(-1)!)}`,
  );
}

const names = Object.keys(EXAMPLES);
const t0 = performance.now();
const each: number[] = [];
let files = 0;
for (let i = 0; i < 1000; i++) {
  const s = performance.now();
  const r = await prepareExample(names[i % names.length]!, { tenantName: `tenant-${i}` });
  each.push(performance.now() - s);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  files += r.value.rendered.files.length;
}
each.sort((a, b) => a - b);
console.log(
  `1,000 tenants (mixed templates): total ${fmt(performance.now() - t0)}, ${files} files, p50 ` +
    `${fmt(pct(each, 50))}, p95 ${fmt(pct(each, 95))}`,
);
