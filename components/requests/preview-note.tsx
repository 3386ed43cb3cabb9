/** Tells the approver whether these are the very files the requester previewed. */
export function PreviewNote({ fingerprint, action }: { fingerprint: string | null; action: string }) {
  if (action === "decommission") return null;
  return (
    <p className="mb-3 text-xs text-muted" data-testid="preview-note">
      {fingerprint ? (
        <>
          Exactly the files the requester previewed (fingerprint <code className="break-all">{fingerprint}</code>).
        </>
      ) : (
        "Submitted without a preview (through the API or by Berth itself); rendered when it was submitted."
      )}
    </p>
  );
}
