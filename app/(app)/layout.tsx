import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { getDb } from "@/lib/db";
import { requireViewer } from "@/lib/entry/session";
import { countUnread } from "@/lib/notifications/queries";

// Every page below reads the session and the database per request.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  return (
    <AppShell viewer={viewer} unread={await countUnread(getDb(), viewer.id)}>
      {children}
    </AppShell>
  );
}
