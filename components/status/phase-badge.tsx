import { cn } from "@/lib/ui/cn";

const TONE: Record<string, string> = {
  Ready: "border-success/40 bg-success/10 text-success",
  Failed: "border-danger/40 bg-danger-soft text-danger",
  Degraded: "border-danger/40 bg-danger-soft text-danger",
  Deleting: "border-warning/40 bg-warning-soft text-warning",
  Deleted: "border-border bg-background text-muted",
};

/** A phase; stale status is never shown as healthy: it says stale, in the warning colour. */
export function PhaseBadge({ phase, stale }: { phase: string; stale: boolean }) {
  return (
    <span
      data-phase={phase}
      data-stale={stale}
      className={cn(
        "inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium",
        stale
          ? "border-warning/40 bg-warning-soft text-warning"
          : (TONE[phase] ?? "border-primary/40 bg-primary/10 text-primary"),
      )}
    >
      {phase}
      {stale ? " · stale" : ""}
    </span>
  );
}
