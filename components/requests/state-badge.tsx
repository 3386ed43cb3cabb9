import type { RequestState } from "@/lib/requests/state";
import { cn } from "@/lib/ui/cn";

const LOOK: Record<RequestState, { label: string; className: string }> = {
  submitted: { label: "Submitted", className: "border-border bg-surface" },
  pr_open: { label: "Awaiting approval", className: "border-primary/40 bg-primary/10 text-primary" },
  approved: { label: "Approved, merging", className: "border-primary/40 bg-primary/10 text-primary" },
  merged: { label: "Merged", className: "border-success/40 bg-success/10 text-success" },
  rejected: { label: "Rejected", className: "border-danger/40 bg-danger-soft text-danger" },
  cancelled: { label: "Cancelled", className: "border-border bg-background text-muted" },
  failed: { label: "Failed", className: "border-danger/40 bg-danger-soft text-danger" },
  deleting: { label: "Deleting", className: "border-warning/40 bg-warning-soft text-warning" },
  deleted: { label: "Deleted", className: "border-border bg-background text-muted" },
};

export function stateLabel(state: RequestState): string {
  return LOOK[state].label;
}

export function StateBadge({ state }: { state: RequestState }) {
  return (
    <span
      data-state={state}
      className={cn(
        "inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium",
        LOOK[state].className,
      )}
    >
      {LOOK[state].label}
    </span>
  );
}
