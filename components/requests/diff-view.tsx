import type { FileDiff } from "@/lib/requests/diff";
import { cn } from "@/lib/ui/cn";

export function DiffView({ files }: { files: FileDiff[] }) {
  return (
    <div className="space-y-2" data-testid="diff">
      {files.map((f) => (
        <details
          key={f.path}
          className="rounded-md border border-border bg-surface"
          open={f.status !== "unchanged" && files.length <= 3}
        >
          <summary className="cursor-pointer px-3 py-2 font-mono text-xs">
            {f.path} <span className="ml-2 text-muted">{f.status}</span>
          </summary>
          <pre className="overflow-x-auto border-t border-border text-xs">
            {f.lines.map((l, i) => (
              <div
                // biome-ignore lint/suspicious/noArrayIndexKey: a diff line is its position; the list never reorders.
                key={i}
                className={cn(
                  "px-3",
                  l.kind === "add" && "bg-success/10 text-success",
                  l.kind === "del" && "bg-danger-soft text-danger",
                )}
              >
                <span aria-hidden className="select-none">
                  {l.kind === "add" ? "+ " : l.kind === "del" ? "- " : "  "}
                </span>
                <span className="sr-only">{l.kind === "add" ? "added: " : l.kind === "del" ? "removed: " : ""}</span>
                {l.text}
              </div>
            ))}
          </pre>
        </details>
      ))}
    </div>
  );
}
