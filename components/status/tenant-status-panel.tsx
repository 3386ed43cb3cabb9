import { Card, CardTitle } from "@/components/ui/card";
import type { Freshness, TenantStatusView } from "@/lib/status/queries";
import { PhaseBadge } from "./phase-badge";

const time = (d: Date) => `${d.toISOString().replace("T", " ").slice(0, 19)} UTC`;

export function TenantStatusPanel({ status, freshness }: { status: TenantStatusView; freshness: Freshness }) {
  return (
    <Card aria-labelledby="status-h" data-testid="tenant-status">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle id="status-h">Status</CardTitle>
        <PhaseBadge phase={status.phase} stale={status.stale} />
      </div>
      {status.message ? (
        <p className="mt-2 text-sm" data-testid="status-message">
          {status.message}
        </p>
      ) : null}
      <p className="mt-2 text-xs text-muted">
        {freshness.cluster === "none"
          ? "No management cluster connected: this phase comes from the request alone; nothing is read from a cluster."
          : freshness.cluster === "down"
            ? `The status reader is not watching the cluster${freshness.error ? ` (${freshness.error})` : ""}: this status is stale.`
            : status.observedAt
              ? `Last seen in the cluster ${time(status.observedAt)}${status.stale ? " — no update since, shown as stale" : ""}.`
              : "Not seen in the cluster yet."}
        {status.syncedToChange ? (
          <span className="ml-1 font-medium text-success" data-testid="synced-to-change">
            Synced to your change.
          </span>
        ) : null}
      </p>
      {status.history.length > 0 ? (
        <ol className="mt-3 space-y-1 text-sm" aria-label="Stage timeline" data-testid="status-timeline">
          {status.history.map((h) => (
            // History rows are written only when the phase changes, so time and phase name one.
            <li key={`${h.at.toISOString()}:${h.phase}`} className="border-l-2 border-primary pl-3">
              <span className="font-medium">{h.phase}</span>{" "}
              <time className="font-mono text-xs text-muted" dateTime={h.at.toISOString()}>
                {time(h.at)}
              </time>
              {h.message ? <span className="block text-xs">{h.message}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </Card>
  );
}
