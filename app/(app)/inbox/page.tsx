import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/page-header";
import { MarkAllReadForm, MarkReadForm } from "@/components/notifications/inbox-forms";
import { Button } from "@/components/ui/button";
import { requireViewer } from "@/lib/entry/session";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { countUnread, listNotifications } from "@/lib/notifications/queries";
import { cn } from "@/lib/ui/cn";

export const metadata = { title: "Inbox" };

// Links are stored absolute (e-mail and chat need them so); inside Berth they navigate client-side.
function inAppHref(link: string, baseUrl: string): string {
  return link.startsWith(`${baseUrl}/`) ? link.slice(baseUrl.length) : link;
}

export default async function InboxPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const viewer = await requireViewer();
  const page = Math.max(1, Number.parseInt((await searchParams).page ?? "1", 10) || 1);
  const [{ items, hasMore }, unread] = await Promise.all([
    listNotifications(getDb(), viewer.id, { page }),
    countUnread(getDb(), viewer.id),
  ]);
  const { baseUrl } = getConfig();
  return (
    <>
      <PageHeader
        title="Inbox"
        description={
          unread > 0
            ? `${unread} unread. Notifications about your requests and tenants, newest first.`
            : "Notifications about your requests and tenants, newest first."
        }
        actions={<MarkAllReadForm disabled={unread === 0} />}
      />
      {items.length === 0 ? (
        <EmptyState title={page > 1 ? "No more notifications" : "Nothing here yet"}>
          Berth tells you here when your requests are approved, rejected, ready or fail.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-border rounded-lg border border-border bg-surface" data-testid="inbox">
          {items.map((n) => (
            <li
              key={n.id}
              className={cn("flex items-start gap-3 px-4 py-3", !n.readAt && "bg-primary/5")}
              data-unread={n.readAt ? undefined : "true"}
            >
              <span
                aria-hidden
                className={cn("mt-1.5 size-2 shrink-0 rounded-full", n.readAt ? "bg-transparent" : "bg-primary")}
              />
              <div className="min-w-0 flex-1">
                <p className={cn("text-sm", !n.readAt && "font-semibold")}>
                  {!n.readAt ? <span className="sr-only">Unread: </span> : null}
                  {n.link ? (
                    <Link className="text-primary underline-offset-2 hover:underline" href={inAppHref(n.link, baseUrl)}>
                      {n.title}
                    </Link>
                  ) : (
                    n.title
                  )}
                </p>
                {n.body ? <p className="mt-0.5 whitespace-pre-line text-sm text-muted">{n.body}</p> : null}
                <time className="mt-1 block font-mono text-xs text-muted" dateTime={n.createdAt.toISOString()}>
                  {n.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                </time>
              </div>
              {!n.readAt ? <MarkReadForm notificationId={n.id} title={n.title} /> : null}
            </li>
          ))}
        </ul>
      )}
      {page > 1 || hasMore ? (
        <nav aria-label="Inbox pages" className="mt-4 flex justify-between">
          {page > 1 ? (
            <Button asChild variant="outline">
              <Link href={`/inbox?page=${page - 1}`}>Newer</Link>
            </Button>
          ) : (
            <span />
          )}
          {hasMore ? (
            <Button asChild variant="outline">
              <Link href={`/inbox?page=${page + 1}`}>Older</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
