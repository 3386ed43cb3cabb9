"use client";
import { useActionState } from "react";
import { Field, FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/entry/action-core";
import {
  approveRequestAction,
  cancelRequestAction,
  rejectRequestAction,
  retryRequestAction,
} from "@/lib/entry/actions/requests";

const initial = { ok: false } as ActionState<void>;

export function ApproveRejectForms({ requestId, tenant }: { requestId: string; tenant: string }) {
  const [approved, approve, approving] = useActionState(approveRequestAction, initial);
  const [rejected, reject, rejecting] = useActionState(rejectRequestAction, initial);
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <form action={approve} className="space-y-2" aria-label={`Approve ${tenant}`}>
        <input type="hidden" name="requestId" value={requestId} />
        <FormMessage ok={approved.ok} message={approved.ok ? "Approved and merged." : approved.message} />
        <Field id={`comment-${requestId}`} label="Comment (optional)" error={approved.fieldErrors?.comment}>
          {(aria) => <Input {...aria} name="comment" />}
        </Field>
        <Button type="submit" disabled={approving}>
          {approving ? "Merging…" : "Approve and merge"}
        </Button>
      </form>
      <form action={reject} className="space-y-2" aria-label={`Reject ${tenant}`} noValidate>
        <input type="hidden" name="requestId" value={requestId} />
        <FormMessage
          ok={rejected.ok}
          message={rejected.ok ? "Rejected; the pull request is closed." : rejected.message}
        />
        <Field id={`reason-${requestId}`} label="Reason for rejecting" error={rejected.fieldErrors?.reason}>
          {(aria) => <Input {...aria} name="reason" defaultValue={rejected.values?.reason} />}
        </Field>
        <Button type="submit" variant="destructive" disabled={rejecting}>
          {rejecting ? "Rejecting…" : "Reject"}
        </Button>
      </form>
    </div>
  );
}

export function RequesterForms({
  requestId,
  canCancel,
  canRetry,
}: {
  requestId: string;
  canCancel: boolean;
  canRetry: boolean;
}) {
  const [cancelled, cancel, cancelling] = useActionState(cancelRequestAction, initial);
  const [retried, retry, retrying] = useActionState(retryRequestAction, initial);
  return (
    <div className="flex flex-wrap items-start gap-3">
      {canCancel ? (
        <form action={cancel}>
          <input type="hidden" name="requestId" value={requestId} />
          <Button type="submit" variant="outline" disabled={cancelling}>
            Cancel request
          </Button>
          <FormMessage ok={cancelled.ok} message={cancelled.ok ? undefined : cancelled.message} />
        </form>
      ) : null}
      {canRetry ? (
        <form action={retry}>
          <input type="hidden" name="requestId" value={requestId} />
          <Button type="submit" disabled={retrying}>
            Retry
          </Button>
          <FormMessage ok={retried.ok} message={retried.ok ? undefined : retried.message} />
        </form>
      ) : null}
    </div>
  );
}
