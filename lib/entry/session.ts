import "server-only";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { cache } from "react";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { clientIpFrom } from "@/lib/http/client-ip";
import type { AuditActor } from "@/lib/audit/record";
import { can, type ViewerAction } from "@/lib/auth/policy";
import { auth } from "./auth";
import { loadViewer, type Viewer } from "@/lib/auth/viewer";

/** The signed-in viewer for this request (roles read from the database), or null. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return loadViewer(getDb(), id);
});

/** For pages: the viewer, or a redirect to sign-in. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/auth/signin");
  return viewer;
}

/** For pages the policy reserves (admin pages): renders app/forbidden.tsx (HTTP 403) for everyone else. */
export async function requireAllowed(action: ViewerAction): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!can(viewer, action)) forbidden();
  return viewer;
}

/** Who to write into audit events for this request. */
export async function auditActorFor(viewer: Viewer): Promise<AuditActor> {
  return {
    id: viewer.id,
    label: viewer.email ?? viewer.name,
    clientIp: clientIpFrom(await headers(), getConfig().trustProxy),
  };
}
