"use client";
import { useActionState } from "react";
import { Field, FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/entry/action-core";
import { decommissionTenantAction } from "@/lib/entry/actions/requests";

export function DecommissionForm({ tenant }: { tenant: string }) {
  const [state, action, pending] = useActionState(decommissionTenantAction, { ok: false } as ActionState<{
    requestId: string;
    tenantName: string;
    autoApprove: boolean;
  }>);
  return (
    <form action={action} className="space-y-2" aria-label={`Decommission ${tenant}`}>
      <input type="hidden" name="tenant" value={tenant} />
      <p className="text-sm text-muted">
        Opens a pull request that deletes <code>tenants/{tenant}/</code>; once merged, Argo CD removes everything it
        created.
      </p>
      <FormMessage ok={false} message={state.ok ? undefined : state.message} />
      {state.fieldErrors?.tenant ? (
        <p role="alert" className="text-sm text-danger">
          {state.fieldErrors.tenant}
        </p>
      ) : null}
      <Field id="decom-reason" label="Reason (optional)" error={state.fieldErrors?.reason}>
        {(aria) => <Input {...aria} name="reason" />}
      </Field>
      <Button type="submit" variant="destructive" disabled={pending}>
        {pending ? "Submitting…" : "Request decommission"}
      </Button>
    </form>
  );
}
