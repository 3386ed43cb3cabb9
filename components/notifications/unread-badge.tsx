import { Badge } from "@/components/ui/badge";
import { getDb } from "@/lib/db";
import { countUnread } from "@/lib/notifications/queries";

/** The viewer's unread count for the navigation; renders nothing when the inbox is read. */
export async function UnreadBadge({ userId }: { userId: string }) {
  const unread = await countUnread(getDb(), userId);
  if (unread === 0) return null;
  return (
    <Badge
      className="border-transparent bg-primary text-primary-foreground"
      data-testid="unread-badge"
      aria-label={`${unread} unread notification${unread === 1 ? "" : "s"}`}
    >
      {unread > 99 ? "99+" : unread}
    </Badge>
  );
}
