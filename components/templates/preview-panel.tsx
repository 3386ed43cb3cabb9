"use client";
import { Fragment } from "react";
import { DiffView } from "@/components/requests/diff-view";
import type { RequestPreview } from "@/lib/requests/preview";

/** none: no preview yet · current: the form shows what was previewed · stale: it changed since · refused: the server refused it. */
export type PreviewStatus = "none" | "current" | "stale" | "refused";

/** The files a request writes, as the last preview rendered them, and whether they are still what the form would submit. */
export function PreviewPanel({ preview, status }: { preview?: RequestPreview; status: PreviewStatus }) {
  return (
    <section aria-labelledby="preview-h" aria-live="polite" className="min-w-0">
      <h2 id="preview-h" className="mb-2 flex items-center gap-2 text-base font-semibold">
        Preview
        {preview ? (
          <span
            data-testid="preview-status"
            className={
              status === "current"
                ? "rounded-full bg-success/10 px-2 py-0.5 text-xs font-medium text-success"
                : "rounded-full bg-warning-soft px-2 py-0.5 text-xs font-medium text-warning"
            }
          >
            {status === "current" ? "matches the form" : "out of date"}
          </span>
        ) : null}
      </h2>
      {preview ? (
        <div className={status === "current" ? "space-y-3" : "space-y-3 opacity-60"} data-testid="preview">
          <p className="text-sm text-muted">
            {preview.files.length} files for <code>{preview.template}</code>
            {preview.expiresAt ? <>, expires {new Date(preview.expiresAt).toUTCString()}</> : null}.
          </p>
          <p className="text-xs text-muted">
            Fingerprint{" "}
            <code className="break-all" data-testid="preview-fingerprint">
              {preview.fingerprint}
            </code>
            : the approver sees exactly these files. Submit by {new Date(preview.validUntil).toUTCString()}.
          </p>
          {Object.entries(preview.outputs).length > 0 ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
              {Object.entries(preview.outputs).map(([k, v]) => (
                <Fragment key={k}>
                  <dt className="font-medium">{k}</dt>
                  <dd className="break-all font-mono text-xs">{v}</dd>
                </Fragment>
              ))}
            </dl>
          ) : null}
          {preview.diff ? (
            <section aria-label="Changes compared with the tenant's files in Git">
              <h3 className="mb-1 text-sm font-semibold">What this change does</h3>
              {preview.diff.length === 0 ? (
                <p className="text-sm text-muted">Nothing: the files would stay as they are.</p>
              ) : (
                <DiffView files={preview.diff} />
              )}
            </section>
          ) : null}
          {preview.files.map((f) => (
            <details
              key={f.path}
              className="rounded-md border border-border bg-surface"
              open={f.path.endsWith("tenant.yaml")}
            >
              <summary className="cursor-pointer px-3 py-2 font-mono text-xs">{f.path}</summary>
              <pre className="overflow-x-auto border-t border-border p-3 text-xs">{f.content}</pre>
            </details>
          ))}
        </div>
      ) : (
        <p className="text-sm text-muted">
          Fill the form and choose “Preview manifests” to see every file the request writes to the GitOps repository.
        </p>
      )}
    </section>
  );
}

/** Next to the submit button: why it is disabled, or what it submits. */
export function SubmitNote({
  id,
  status,
  error,
  files,
}: {
  id: string;
  status: PreviewStatus;
  error?: string;
  files: number;
}) {
  if (error)
    return (
      <p id={id} role="alert" className="text-sm text-danger">
        {error}
      </p>
    );
  const text = {
    none: "Preview the manifests first: Berth submits exactly the files the preview shows.",
    stale: "You changed the form after the preview: preview again to submit these values.",
    refused: "Preview again: the files of your preview can no longer be submitted.",
    current: `Submits exactly the ${files} previewed files.`,
  }[status];
  return (
    <p
      id={id}
      className={status === "current" ? "text-xs text-muted" : "text-sm text-warning"}
      data-testid="submit-note"
    >
      {text}
    </p>
  );
}
