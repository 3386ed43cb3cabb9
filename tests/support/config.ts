import { resetConfigForTests } from "@/lib/config";

/** Re-reads configuration with test overrides (process-wide, for the current test file). */
export function setTestConfig(overrides: Record<string, string>): void {
  Object.assign(process.env, overrides);
  resetConfigForTests();
}
