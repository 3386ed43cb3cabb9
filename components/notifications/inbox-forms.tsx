"use client";
import { useActionState } from "react";
import { FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/entry/action-core";
import { markAllNotificationsReadAction, markNotificationReadAction } from "@/lib/entry/actions/notifications";

const initial = { ok: false } as ActionState<void>;

export function MarkAllReadForm({ disabled }: { disabled: boolean }) {
  const [state, action, pending] = useActionState(markAllNotificationsReadAction, initial);
  return (
    <form action={action} className="flex items-center gap-2">
      <FormMessage ok={state.ok} message={state.ok ? undefined : state.message} />
      <Button type="submit" variant="outline" disabled={disabled || pending}>
        Mark all read
      </Button>
    </form>
  );
}

export function MarkReadForm({ notificationId, title }: { notificationId: string; title: string }) {
  const [state, action, pending] = useActionState(markNotificationReadAction, initial);
  return (
    <form action={action}>
      <input type="hidden" name="notificationId" value={notificationId} />
      <Button type="submit" variant="ghost" size="sm" disabled={pending} aria-label={`Mark "${title}" read`}>
        Mark read
      </Button>
      <FormMessage ok={state.ok} message={state.ok ? undefined : state.message} />
    </form>
  );
}
