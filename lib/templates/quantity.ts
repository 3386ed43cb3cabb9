// Kubernetes quantities as the quota check needs them: CPU in millicores, memory in MiB.
const MEMORY: Record<string, number> = {
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
  k: 1000 / 1048576,
  M: 1e6 / 1048576,
  G: 1e9 / 1048576,
  T: 1e12 / 1048576,
  "": 1 / 1048576,
};

export function cpuMillis(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  if (!m) throw new Error(`"${q}" is not a CPU quantity`);
  return Math.round(Number(m[1]) * (m[2] === "m" ? 1 : 1000));
}

export function memoryMib(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T|)$/.exec(q.trim());
  if (!m) throw new Error(`"${q}" is not a memory quantity`);
  return Math.ceil(Number(m[1]) * MEMORY[m[2]!]!);
}

export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`;
}

export function formatMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
