"use client";
import { useActionState } from "react";
import { Field, FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import type { ActionState } from "@/lib/entry/action-core";
import { mapTeamGroupAction, unmapTeamGroupAction } from "@/lib/entry/actions/teams";

type Result = ActionState<{ groupId: string }>;

export function MapGroupForm({ team, hint }: { team: string; hint: string }) {
  const [state, action, pending] = useActionState(mapTeamGroupAction, { ok: false } as Result);
  const v = state.ok ? {} : (state.values ?? {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-3" noValidate key={state.ok ? state.data?.groupId : "form"}>
      <input type="hidden" name="team" value={team} />
      <FormMessage ok={state.ok} message={state.ok ? `Mapped ${state.data?.groupId}.` : state.message} />
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <Field id="groupId" label="Directory group" hint={hint} error={e.groupId}>
          {(aria) => <Input {...aria} name="groupId" defaultValue={v.groupId} autoComplete="off" />}
        </Field>
        <Field id="role" label="Role" error={e.role}>
          {(aria) => (
            <NativeSelect {...aria} name="role" defaultValue={v.role ?? "member"}>
              <option value="member">member</option>
              <option value="owner">owner</option>
            </NativeSelect>
          )}
        </Field>
        <Button type="submit" className="sm:mt-6" disabled={pending}>
          {pending ? "Mapping…" : "Map group"}
        </Button>
      </div>
    </form>
  );
}

export function UnmapGroupButton({ team, groupId }: { team: string; groupId: string }) {
  const [state, action, pending] = useActionState(unmapTeamGroupAction, { ok: false } as Result);
  return (
    <form action={action} className="inline">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="groupId" value={groupId} />
      <Button variant="outline" size="sm" type="submit" disabled={pending} aria-label={`Remove mapping of ${groupId}`}>
        Remove
      </Button>
      {!state.ok && state.message ? (
        <span role="alert" className="ml-2 text-sm text-danger">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
