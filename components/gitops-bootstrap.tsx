"use client";
import { useActionState } from "react";
import { FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/entry/action-core";
import { bootstrapGitOpsAction } from "@/lib/entry/actions/gitops";

export function GitOpsBootstrap() {
  const [state, action, pending] = useActionState(bootstrapGitOpsAction, { ok: false } as ActionState<{
    number: number;
    url: string;
    state: "open" | "merged" | "closed";
  }>);
  return (
    <form action={action} className="space-y-2">
      <FormMessage ok={false} message={state.ok ? undefined : state.message} />
      {state.ok && state.data ? (
        <p role="status" className="text-sm" data-testid="bootstrap-pr">
          Pull request{" "}
          <a className="text-primary underline" href={state.data.url}>
            #{state.data.number}
          </a>{" "}
          is {state.data.state}.
        </p>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Opening…" : "Open bootstrap pull request"}
      </Button>
    </form>
  );
}
