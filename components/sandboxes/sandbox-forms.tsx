"use client";
import { useActionState } from "react";
import { FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/input";
import type { ActionState } from "@/lib/entry/action-core";
import { extendSandboxAction, getSandboxAction } from "@/lib/entry/actions/sandboxes";

export function GetSandboxButton() {
  const [state, action, pending] = useActionState(getSandboxAction, { ok: false } as ActionState<{
    requestId: string;
    tenantName: string;
    autoApprove: boolean;
  }>);
  return (
    <form action={action} className="space-y-2">
      <FormMessage
        ok={false}
        message={state.ok ? undefined : (state.fieldErrors?.template ?? state.fieldErrors?.placement ?? state.message)}
      />
      <Button type="submit" size="lg" disabled={pending}>
        {pending ? "Requesting…" : "Get a sandbox"}
      </Button>
    </form>
  );
}

export function ExtendSandboxForm({ tenant }: { tenant: string }) {
  const [state, action, pending] = useActionState(extendSandboxAction, { ok: false } as ActionState<{
    requestId: string;
    expiresAt: string;
  }>);
  return (
    <form action={action} className="flex flex-wrap items-end gap-2" aria-label={`Extend ${tenant}`}>
      <input type="hidden" name="tenant" value={tenant} />
      <label className="space-y-1 text-sm">
        <span className="block font-medium">Extend by</span>
        <NativeSelect
          name="hours"
          defaultValue="24"
          className="w-32"
          aria-describedby={state.fieldErrors?.hours ? "extend-error" : undefined}
        >
          <option value="24">1 day</option>
          <option value="72">3 days</option>
          <option value="168">7 days</option>
        </NativeSelect>
      </label>
      <Button type="submit" variant="outline" disabled={pending}>
        {pending ? "Extending…" : "Extend"}
      </Button>
      {state.ok && state.data ? (
        <p role="status" className="w-full text-sm text-success">
          Extended until {new Date(state.data.expiresAt).toUTCString()} (a pull request updates tenant.yaml).
        </p>
      ) : null}
      {state.fieldErrors?.hours ? (
        <p id="extend-error" role="alert" className="w-full text-sm text-danger">
          {state.fieldErrors.hours}
        </p>
      ) : (
        <FormMessage ok={false} message={state.ok ? undefined : (state.fieldErrors?.tenant ?? state.message)} />
      )}
    </form>
  );
}
