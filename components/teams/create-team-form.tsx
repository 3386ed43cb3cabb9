"use client";
import { useActionState } from "react";
import { Field, FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import type { ActionState } from "@/lib/entry/action-core";
import { createTeamAction } from "@/lib/entry/actions/teams";

export function CreateTeamForm() {
  const [state, action, pending] = useActionState(createTeamAction, { ok: false } as ActionState<{
    id: string;
    slug: string;
  }>);
  const v = state.values ?? {};
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="max-w-lg space-y-4" noValidate>
      <FormMessage ok={state.ok} message={state.ok ? undefined : state.message} />
      <Field
        id="slug"
        label="Team name"
        hint="Lowercase letters, digits and hyphens, 2–32 characters; used in Kubernetes names."
        error={e.slug}
      >
        {(aria) => <Input {...aria} name="slug" defaultValue={v.slug} autoComplete="off" required />}
      </Field>
      <Field id="displayName" label="Display name" error={e.displayName}>
        {(aria) => <Input {...aria} name="displayName" defaultValue={v.displayName} required />}
      </Field>
      <Field id="description" label="Description (optional)" error={e.description}>
        {(aria) => <Textarea {...aria} name="description" defaultValue={v.description} />}
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create team"}
      </Button>
    </form>
  );
}
